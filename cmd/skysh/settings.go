package main

import (
	"time"

	"skysh/engine"
)

// settings are the persistence settings in force: defaults, then the
// configuration file, then the command line, each overriding the one before.
type settings struct {
	saveEvery time.Duration // 0: BGSAVE off
	snapEvery time.Duration // 0: automatic snapshots off
	snapKeep  int
	failsafe  bool
	noJournal bool
	fsync     engine.FsyncPolicy
	warning   string // about the configuration file, for stderr
}

// resolveSettings merges the configuration file (if -c names one) and flags.
func resolveSettings(o *options) (settings, error) {
	s := settings{saveEvery: engine.DefaultSaveEvery, failsafe: true}
	if o.config != "" {
		cfg, err := loadConfig(o.config)
		if err != nil {
			return s, err
		}
		if v := cfg.BGSave.Every; v != nil {
			s.saveEvery = time.Duration(*v) * time.Second
		}
		if v := cfg.BGSave.Enabled; v != nil && !*v {
			s.saveEvery = 0
		}
		if v := cfg.Snapshot.Every; v != nil {
			s.snapEvery = time.Duration(*v) * time.Second
		}
		if v := cfg.Snapshot.Atmost; v != nil {
			s.snapKeep = int(*v)
		}
		if v := cfg.Snapshot.Failsafe; v != nil {
			s.failsafe = *v
		}
		if v := cfg.Journal.Enabled; v != nil {
			s.noJournal = !*v
		}
		if v := cfg.Journal.Fsync; v != nil {
			s.fsync, _ = engine.ParseFsyncPolicy(*v) // checked by loadConfig
		}
		s.warning = cfg.warning
	}
	if o.set["saveduration"] {
		s.saveEvery = time.Duration(o.saveEvery) * time.Second
	}
	if o.noSave {
		s.saveEvery = 0
	}
	if o.set["snapevery"] {
		s.snapEvery = time.Duration(o.snapEvery) * time.Second
	}
	if o.set["snapkeep"] {
		s.snapKeep = o.snapKeep
	}
	if o.set["stop-write-on-fail"] {
		s.failsafe = bool(o.failsafe)
	}
	if o.noJournal {
		s.noJournal = true
	}
	if o.set["fsync"] {
		s.fsync = o.fsync
	}
	return s, nil
}
