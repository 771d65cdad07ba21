package cluster_test

import (
	"fmt"
	"sync"
	"testing"

	"skysh/cluster"
	"skysh/engine"
	"skysh/internal/etcdtest"
)

// TestOverlappingSsetsAreAllOrNothing: two stores, as two shells, run SSETs
// at the same moment whose key sets overlap in one key. In every round
// exactly one wins: its keys are all there with its values, and none of the
// loser's own keys is.
func TestOverlappingSsetsAreAllOrNothing(t *testing.T) {
	c := etcdtest.Shared(t)
	url := c.URL(keyspaceFor(t))
	shells := []*cluster.Store{openURL(t, url, cluster.Options{}), openURL(t, url, cluster.Options{})}
	const rounds = 40
	answers := make([][rounds]engine.Response, 2)
	var start sync.WaitGroup
	start.Add(1)
	var done sync.WaitGroup
	for i, s := range shells {
		done.Go(func() {
			start.Wait()
			for r := range rounds {
				answers[i][r] = s.Exec(q("SSET",
					fmt.Sprintf("own%d-%d", i, r), "x",
					fmt.Sprintf("shared-%d", r), fmt.Sprint(i),
					fmt.Sprintf("own%d-%d-b", i, r), "y"))
			}
		})
	}
	start.Done()
	done.Wait()
	check := shells[0]
	for r := range rounds {
		won := -1
		for i := range shells {
			switch answers[i][r] {
			case engine.Response(engine.Status{Code: engine.Okay}):
				if won >= 0 {
					t.Fatalf("round %d: both SSETs succeeded", r)
				}
				won = i
			case engine.Response(engine.Status{Code: engine.OverwriteError}):
			default:
				t.Fatalf("round %d, shell %d: %s", r, i, fmtResponse(answers[i][r]))
			}
		}
		if won < 0 {
			t.Fatalf("round %d: neither SSET succeeded", r)
		}
		mustRun(t, check, engine.String(fmt.Sprint(won)), "GET", fmt.Sprintf("shared-%d", r))
		for i := range shells {
			want := engine.Int(0)
			if i == won {
				want = 2
			}
			mustRun(t, check, want, "EXISTS", fmt.Sprintf("own%d-%d", i, r), fmt.Sprintf("own%d-%d-b", i, r))
		}
	}
	mustRun(t, check, engine.Int(3*rounds), "DBSIZE")
}

// TestConcurrentMsetCounts: MSETs racing on the same keys from two stores
// create each key once between them, and their counts add up to the keys
// created, however their transactions interleave.
func TestConcurrentMsetCounts(t *testing.T) {
	c := etcdtest.Shared(t)
	url := c.URL(keyspaceFor(t))
	shells := []*cluster.Store{openURL(t, url, cluster.Options{}), openURL(t, url, cluster.Options{})}
	const rounds = 20
	var counts [2]int64
	var done sync.WaitGroup
	for i, s := range shells {
		done.Go(func() {
			for r := range rounds {
				got := s.Exec(q("MSET", fmt.Sprintf("a%d", r), "1", fmt.Sprintf("b%d", r), "1", fmt.Sprintf("own%d-%d", i, r), "1"))
				n, ok := got.(engine.Int)
				if !ok {
					t.Errorf("MSET = %s", fmtResponse(got))
					return
				}
				counts[i] += int64(n)
			}
		})
	}
	done.Wait()
	total := counts[0] + counts[1]
	if want := int64(4 * rounds); total != want {
		t.Errorf("the MSETs counted %d keys created, want %d", total, want)
	}
	mustRun(t, shells[0], engine.Int(4*rounds), "DBSIZE")
}
