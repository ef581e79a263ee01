// Package indicators publishes the policy's outcome indicators without
// exposing any family: the catalogue of indicators, the fixed tables they are
// published in, the relations an outsider can write between their figures
// (Relations), and disclosure control — the rules written once (rules.go),
// primary and secondary suppression, and the audit every release must pass:
// Gaussian elimination for the cells the published figures imply, and a
// warm-started simplex per connected component for the intervals of the
// others. docs/indicators.md describes the method.
//
// The package imports only the policy package, for the amounts and dates
// the relations use.
package indicators
