// Package indicators publishes the policy's outcome indicators without
// exposing any family: the catalogue of indicators, the fixed tables they are
// published in, and disclosure control — primary suppression of small counts,
// the rules for rates and shares, secondary suppression, and a linear
// programming audit (gonum) that every release must pass.
//
// The package is pure: it imports no other project package.
package indicators
