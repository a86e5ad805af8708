package schemas

import (
	"embed"
	"io/fs"
)

//go:embed clickhouse/*.sql
var clickHouseFiles embed.FS

// ClickHouseMigrations returns the ClickHouse migrations: files named
// NNNN_name.sql at the root of the returned file system, applied in the order of
// NNNN. Each file holds one or more statements, each ending with ';' at the end of
// a line.
func ClickHouseMigrations() fs.FS {
	sub, err := fs.Sub(clickHouseFiles, "clickhouse")
	if err != nil {
		panic(err) // "clickhouse" is a valid path, so fs.Sub cannot fail
	}
	return sub
}
