package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"

	"skysh/engine"
)

// fileConfig is the TOML configuration file (-c). Pointers tell a key that
// is absent from one set to its zero value.
type fileConfig struct {
	skydSections // [server] and [ssl], accepted and ignored
	BGSave       struct {
		Enabled *bool  `toml:"enabled"`
		Every   *int64 `toml:"every"`
	} `toml:"bgsave"`
	Snapshot struct {
		Every    *int64 `toml:"every"`
		Atmost   *int64 `toml:"atmost"`
		Failsafe *bool  `toml:"failsafe"`
	} `toml:"snapshot"`
	Journal struct {
		Enabled *bool   `toml:"enabled"`
		Fsync   *string `toml:"fsync"`
	} `toml:"journal"`
	// warning says which keys of skyd's server sections are ignored.
	warning string
}

// configError is a mistake in the configuration file, with the key and the
// line where they are known.
type configError struct {
	path string
	line int    // 0 when unknown
	key  string // "" when the mistake is not one key's
	msg  string
}

func (e *configError) Error() string {
	var b strings.Builder
	b.WriteString(e.path)
	if e.line > 0 {
		fmt.Fprintf(&b, ":%d", e.line)
	}
	b.WriteString(": ")
	if e.key != "" {
		fmt.Fprintf(&b, "%s: ", e.key)
	}
	b.WriteString(e.msg)
	return b.String()
}

// maxIntervalSecs is the longest interval a time.Duration holds, in
// seconds (about 292 years): a longer one would wrap around, to a negative
// interval that turns the service off or to a tiny one.
const maxIntervalSecs = int64(math.MaxInt64 / time.Second)

// decodeErrorText is the form of the TOML decoder's type errors, compiled
// when a configuration file has one, not at every start.
var decodeErrorText = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^toml: line (\d+) \(last key "([^"]*)"\): (.*)$`)
})

// loadConfig reads and checks the configuration file at path.
func loadConfig(path string) (*fileConfig, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read configuration: %w", err)
	}
	var cfg fileConfig
	md, err := toml.NewDecoder(bytes.NewReader(src)).Decode(&cfg)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			return nil, &configError{path: path, line: perr.Position.Line, key: perr.LastKey, msg: perr.Message}
		}
		// Type mismatches come as plain errors that carry the line and key
		// in their text only.
		if m := decodeErrorText().FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, &configError{path: path, line: line, key: m[2], msg: m[3]}
		}
		return nil, &configError{path: path, msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	if keys := md.Undecoded(); len(keys) > 0 {
		k := keys[0]
		msg := "unknown key; known keys are bgsave.enabled, bgsave.every, snapshot.every, snapshot.atmost, snapshot.failsafe, journal.enabled and journal.fsync"
		if m := skydUnknownKey(k); m != "" {
			msg = m
		}
		return nil, &configError{path: path, line: lineOf(src, k), key: k.String(), msg: msg}
	}
	if cfg.warning, err = checkSkydSections(path, src, md, &cfg); err != nil {
		return nil, err
	}
	positive := func(v *int64, table, key, what string) error {
		switch {
		case v == nil:
			return nil
		case *v <= 0:
			return &configError{path: path, line: lineOf(src, toml.Key{table, key}), key: table + "." + key,
				msg: fmt.Sprintf("%s must be a positive number of seconds, not %d", what, *v)}
		case *v > maxIntervalSecs:
			return &configError{path: path, line: lineOf(src, toml.Key{table, key}), key: table + "." + key,
				msg: fmt.Sprintf("%s must be at most %d seconds, not %d", what, maxIntervalSecs, *v)}
		}
		return nil
	}
	if err := positive(cfg.BGSave.Every, "bgsave", "every", "the BGSAVE interval"); err != nil {
		return nil, err
	}
	if err := positive(cfg.Snapshot.Every, "snapshot", "every", "the snapshot interval"); err != nil {
		return nil, err
	}
	if v := cfg.Snapshot.Atmost; v != nil && *v < 0 {
		return nil, &configError{path: path, line: lineOf(src, toml.Key{"snapshot", "atmost"}), key: "snapshot.atmost",
			msg: fmt.Sprintf("must be 0 (keep all) or a positive number of snapshots, not %d", *v)}
	}
	if v := cfg.Journal.Fsync; v != nil {
		if _, err := engine.ParseFsyncPolicy(*v); err != nil {
			return nil, &configError{path: path, line: lineOf(src, toml.Key{"journal", "fsync"}), key: "journal.fsync", msg: err.Error()}
		}
	}
	return &cfg, nil
}

// lineOf finds the line of a table.key in TOML source, for messages: the
// decoder reports no positions for keys it decoded. It understands the
// simple layout of skysh's file ([table] headers, key = value lines) and
// returns 0 when it cannot tell.
func lineOf(src []byte, k toml.Key) int {
	if len(k) == 0 {
		return 0
	}
	want := k[len(k)-1]
	table := strings.Join(k[:len(k)-1], ".")
	current := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			current = strings.TrimSpace(strings.Trim(line, "[]"))
			if len(k) == 1 && current == want {
				return n
			}
			continue
		}
		name, _, ok := strings.Cut(line, "=")
		if ok && current == table && strings.Trim(strings.TrimSpace(name), `"'`) == want {
			return n
		}
	}
	return 0
}
