package main

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// FerretDB v1.24's SQLite backend finds a document by _id with the
// expression _ferretdb_sjson->'$._id', but indexes _id as
// _ferretdb_sjson->"_id". SQLite matches index expressions literally, so
// every find, update and delete by _id scans the whole table (an update by
// _id cost 18 ms at 2,000 documents and grows with the collection). This
// keeps a second unique index on the very expression FerretDB queries with,
// in every collection's table, so those become index searches. FerretDB
// does not list or manage it; dropping a collection drops it with the table.
func keepIDIndexes(ctx context.Context, sqliteURL string) {
	u, err := url.Parse(sqliteURL)
	if err != nil {
		log.Printf("id indexes: %v", err)
		return
	}
	dir := u.Opaque
	if dir == "" {
		dir = u.Path
	}
	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if err := indexTables(ctx, file); err != nil {
				log.Printf("id indexes in %s: %v", filepath.Base(file), err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
	}
}

// indexTables adds the index to each table that lacks it; finding none missing only reads.
func indexTables(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections
		WHERE table_name || '__id_lookup' NOT IN (SELECT name FROM sqlite_master WHERE type = 'index')`)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	for _, table := range tables {
		q := fmt.Sprintf(`CREATE UNIQUE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_lookup", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
