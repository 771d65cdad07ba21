package cluster

import "skysh/engine"

// Shared answers, as the engine gives them.
var (
	okay      engine.Response = engine.Status{Code: engine.Okay}
	nilResp   engine.Response = engine.Status{Code: engine.Nil}
	overwrite engine.Response = engine.Status{Code: engine.OverwriteError}
	wrongtype engine.Response = engine.Status{Code: engine.WrongtypeError}
)

// Exec runs one query on the cluster with the engine's answers and codes.
// Queries the engine refuses before running (empty, unknown action, wrong
// number of arguments) are refused by the engine's own check.
func (s *Store) Exec(args []string) engine.Response {
	info, refused := engine.Check(args)
	if refused != nil {
		return refused
	}
	a := args[1:]
	switch info.Name {
	case "HEYA":
		return engine.String("HEY!")
	case "GET":
		return s.actGet(a[0])
	case "KEYLEN":
		return s.actKeylen(a[0])
	case "SET":
		return s.actSet(a[0], a[1])
	case "UPDATE":
		return s.actUpdate(a[0], a[1])
	case "DEL":
		return s.actDel(a)
	case "EXISTS":
		return s.actExists(a)
	case "MGET":
		return s.actMget(a)
	case "MSET":
		return s.actMset(a)
	case "MUPDATE":
		return s.actMupdate(a)
	case "USET":
		return s.actUset(a)
	case "SSET":
		return s.actSset(a)
	case "SUPDATE":
		return s.actSupdate(a)
	case "SDEL":
		return s.actSdel(a)
	case "POP":
		return s.actPop(a)
	case "DBSIZE":
		return s.actDbsize()
	case "FLUSHDB":
		return s.actFlushdb()
	case "LSKEYS":
		return s.actLskeys(a)
	case "MKSNAP":
		return s.actMksnap(a)
	}
	// Every action of the engine's table is above: a new one must be
	// added here, and TestEveryActionRuns says so.
	return engine.Status{Code: engine.ServerError, Detail: info.Name + " is not available on a cluster"}
}
