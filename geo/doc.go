// Package geo is shanyu's pure spatial code on orb types: nearest search by
// great-circle distance, bounding-box search, point-in-polygon lookup and the
// (the sample generator keeps its own illustrative partition).
//
// Coordinates are [lon, lat] in degrees, WGS84 (EPSG:4326); distances are
// metres on a sphere of EarthRadius. The package imports no project package.
package geo
