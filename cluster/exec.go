package cluster

import "skysh/engine"

// Shared answers, as the engine gives them.
var (
	okay      engine.Response = engine.Status{Code: engine.Okay}
	nilResp   engine.Response = engine.Status{Code: engine.Nil}
	overwrite engine.Response = engine.Status{Code: engine.OverwriteError}
	wrongtype engine.Response = engine.Status{Code: engine.WrongtypeError}
)

// plan finds how a query runs. Queries the engine refuses before running
// (empty, unknown action, wrong number of arguments) are refused by the
// engine's own check, with its answers.
func (s *Store) plan(args []string) plan {
	info, refused := engine.Check(args)
	if refused != nil {
		return answered(refused)
	}
	a := args[1:]
	switch info.Name {
	case "HEYA":
		return answered(engine.String("HEY!"))
	case "GET":
		return s.planGet(a[0])
	case "KEYLEN":
		return s.planKeylen(a[0])
	case "SET":
		return s.planSet(a[0], a[1])
	case "UPDATE":
		return s.planUpdate(a[0], a[1])
	case "DEL":
		return s.planDel(a)
	case "EXISTS":
		return s.planExists(a)
	case "MGET":
		return s.planMget(a)
	case "MSET":
		return s.planMset(a)
	case "MUPDATE":
		return s.planMupdate(a)
	case "USET":
		return s.planUset(a)
	case "SSET":
		return s.planSset(a)
	case "SUPDATE":
		return s.planSupdate(a)
	case "SDEL":
		return s.planSdel(a)
	case "POP":
		return s.planPop(a)
	case "DBSIZE":
		return alone(s.actDbsize)
	case "FLUSHDB":
		return alone(s.actFlushdb)
	case "LSKEYS":
		return s.planLskeys(a)
	case "MKSNAP":
		return alone(func() engine.Response { return s.actMksnap(a) })
	}
	// Every action of the engine's table is above: a new one must be
	// added here, and TestQueriesCoverEveryAction says so.
	return answered(engine.Status{Code: engine.ServerError, Detail: info.Name + " is not available on a cluster"})
}
