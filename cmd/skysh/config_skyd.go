package main

import (
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// skydSections are the sections of Skytable 0.6's skyd.toml that configure
// its network server. skysh accepts them, so that a skyd.toml works as it
// is, and uses nothing from them: it has no server. Their keys and types
// are skyd's (0.6.2, and maxcon from 0.6.3), so a typo or a bad value is
// still an error.
type skydSections struct {
	Server struct {
		Host   *string `toml:"host"`
		Port   *int64  `toml:"port"`
		Noart  *bool   `toml:"noart"`
		Maxcon *int64  `toml:"maxcon"`
	} `toml:"server"`
	SSL struct {
		Key   *string `toml:"key"`
		Chain *string `toml:"chain"`
		Port  *int64  `toml:"port"`
		Only  *bool   `toml:"only"`
	} `toml:"ssl"`
}

// skydKeys are the keys of each server section, as its unknown-key error
// lists them.
var skydKeys = map[string]string{
	"server": "host, port, noart and maxcon",
	"ssl":    "key, chain, port and only",
}

// checkSkydSections checks the values skyd would refuse (a port beyond
// 16 bits, a negative count), and returns the warning that names the keys
// ignored, in file order, or "" when the file sets none.
func checkSkydSections(path string, src []byte, md toml.MetaData, cfg *fileConfig) (string, error) {
	for _, p := range []struct {
		table string
		v     *int64
	}{{"server", cfg.Server.Port}, {"ssl", cfg.SSL.Port}} {
		if p.v != nil && (*p.v < 0 || *p.v > 65535) {
			return "", &configError{path: path, line: lineOf(src, toml.Key{p.table, "port"}), key: p.table + ".port",
				msg: fmt.Sprintf("must be a port number from 0 to 65535, not %d", *p.v)}
		}
	}
	if v := cfg.Server.Maxcon; v != nil && *v <= 0 {
		return "", &configError{path: path, line: lineOf(src, toml.Key{"server", "maxcon"}), key: "server.maxcon",
			msg: fmt.Sprintf("must be a positive number of connections, not %d", *v)}
	}
	var ignored []string
	for _, k := range md.Keys() {
		if _, server := skydKeys[k[0]]; server && len(k) == 2 {
			ignored = append(ignored, k.String())
		}
	}
	if len(ignored) == 0 {
		return "", nil
	}
	return fmt.Sprintf("%s: ignoring %s: skysh has no server, the database runs inside the shell", path, joinAnd(ignored)), nil
}

// skydUnknownKey is the message for an unknown key inside a server
// section, or "" for a key elsewhere.
func skydUnknownKey(k toml.Key) string {
	if keys, ok := skydKeys[k[0]]; ok && len(k) > 1 {
		return fmt.Sprintf("unknown key; [%s] takes %s (Skytable's server settings, which skysh ignores)", k[0], keys)
	}
	return ""
}

// joinAnd lists words as a person would: "a", "a and b", "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
