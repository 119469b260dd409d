// Command ferretdb runs FerretDB v1 with its SQLite backend for Sinetti's
// embedded stack. It wraps FerretDB's embeddable package because the upstream
// command, built as a dependency, insists on a version file only its own
// build scripts write.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "file:data/", "SQLite directory URI, ending in a slash")
	debugAddr := flag.String("debug-addr", "", "TCP address for Go's profiler (/debug/pprof), off when empty")
	flag.Parse()

	if *debugAddr != "" {
		// For profiling the store under a benchmark; never on by default.
		go func() { log.Print(http.ListenAndServe(*debugAddr, nil)) }()
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go keepIDIndexes(ctx, *sqliteURL)
	log.Printf("FerretDB (SQLite) listening on %s, data in %s", *listen, *sqliteURL)
	if err := f.Run(ctx); err != nil {
		log.Fatal(err)
	}
}
