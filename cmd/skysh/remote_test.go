package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"skysh/internal/etcdtest"
)

var remoteKeyspaces atomic.Int64

// etcdBuilds are the skysh-etcd builds made beside a test's skysh, by
// directory: a plain skysh hands --endpoint over to the one beside it.
var etcdBuilds sync.Map // dir → *etcdBuildOnce

type etcdBuildOnce struct {
	once sync.Once
	err  error
}

// withEtcdBuild builds skysh-etcd (this package with -tags etcd, with the
// race detector when the tests have it) beside the skysh binary bin, once,
// and returns bin.
func withEtcdBuild(t testing.TB, bin string) string {
	t.Helper()
	dir := filepath.Dir(bin)
	v, _ := etcdBuilds.LoadOrStore(dir, &etcdBuildOnce{})
	b := v.(*etcdBuildOnce)
	b.once.Do(func() {
		args := []string{"build", "-tags", "etcd", "-o", filepath.Join(dir, "skysh-etcd")}
		if raceEnabled() {
			args = append(args, "-race")
		}
		if out, err := exec.Command("go", append(args, "skysh/cmd/skysh")...).CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build -tags etcd: %v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return bin
}

// remoteURL is a keyspace of the test's own on the package's shared cluster.
func remoteURL(t *testing.T, c *etcdtest.Cluster) string {
	t.Helper()
	name := regexp.MustCompile(`[^A-Za-z0-9._-]`).ReplaceAllString(t.Name(), "_")
	return c.URL(fmt.Sprintf("%s-%d", name, remoteKeyspaces.Add(1)))
}

// remoteScript uses every action, binary keys, the empty key and lines
// that fail: run on a data directory and on a cluster, it must print the
// same and exit the same.
const remoteScript = `HEYA
SET a 1
SET a 2
GET a
UPDATE a 10
UPDATE missing 1
SET "" "empty key"
SET "\x00\xff" "v\x00"
MGET a missing "" "\x00\xff"
MSET a 1 b 2 b 3
MUPDATE a 11 c 3 a 12
SSET x 1 y 2
SSET x 1 z 2
SUPDATE x 9 y 9
SUPDATE x 9 nope 9
USET u 1 u 2
EXISTS a a nope
KEYLEN a
DEL a a nope
POP b b nope
SDEL x y
SDEL x
DBSIZE
SDEL "" "\x00\xff"
LSKEYS 100
LSKEYS ten
GET
NOPE
SET "open
MKSNAP bad/name
FLUSHDB
DBSIZE
`

// TestRemoteScriptAsLocal pipes one script through the real binary on a
// data directory and on a keyspace of a real cluster, in every output
// form: stdout, stderr and the exit status must be the same.
func TestRemoteScriptAsLocal(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Shared(t)
	for _, form := range [][]string{{"--json"}, {"--raw"}, {"--csv"}} {
		local := append([]string{"-d", filepath.Join(t.TempDir(), "data")}, form...)
		remote := append([]string{"--endpoint", remoteURL(t, c)}, form...)
		lout, lerr, lstatus := persistRun(t, remoteScript, local...)
		rout, rerr, rstatus := persistRun(t, remoteScript, remote...)
		if rout != lout || rerr != lerr || rstatus != lstatus {
			t.Errorf("%s on the cluster:\n%s\n%s\nstatus %d\nlocally:\n%s\n%s\nstatus %d", form, rout, rerr, rstatus, lout, lerr, lstatus)
		}
		if lstatus != 1 || !strings.Contains(lout, "HEY!") {
			t.Errorf("%s: the script ran badly locally: status %d\n%s%s", form, lstatus, lout, lerr)
		}
	}
}

// TestRemoteMksnapRestoresLocally: MKSNAP name on a cluster writes the
// keyspace into the local data directory (-d), and --restore brings it up
// as a local store.
func TestRemoteMksnapRestoresLocally(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	url := remoteURL(t, etcdtest.Shared(t))
	data := filepath.Join(t.TempDir(), "data")
	out, errOut, status := persistRun(t, "USET k1 v1 \"\" empty \"\\xff\" \"\\x00\"\nMKSNAP export\nMKSNAP export\n", "--endpoint", url, "-d", data, "--json")
	if want := "3\n{\"code\":0,\"message\":\"Okay\"}\n{\"error\":\"err-duplicate-snapshot\"}\n"; out != want || status != 1 {
		t.Fatalf("on the cluster: %q, status %d, want %q, status 1\n%s", out, status, want, errOut)
	}
	out, errOut, status = persistRun(t, "", "-d", data, "--restore", "remote/export.snapshot", "-e", "DBSIZE", "-e", `MGET k1 "" "\xff"`, "--json")
	if want := "3\n[\"v1\",\"empty\",\"\\u0000\"]\n"; out != want || status != 0 {
		t.Errorf("restored locally: %q, status %d, want %q\n%s", out, status, want, errOut)
	}
}

// TestRemoteFlags: the flags of a cluster are refused without one, the
// flags of a data directory with one, and bad values with a clear message
// and status 2; [remote] in the configuration file is read, and refuses a
// password.
func TestRemoteFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--user", "root", "-e", "HEYA"}, "--user is for a cluster"},
		{[]string{"--timeout", "1s", "-e", "HEYA"}, "--timeout is for a cluster"},
		{[]string{"--endpoint", "etcd://127.0.0.1:1", "--restore", "x.snapshot"}, "--restore is for a local data directory"},
		{[]string{"--endpoint", "etcd://127.0.0.1:1", "--nosave"}, "--nosave is for a local data directory"},
		{[]string{"--endpoint", "http://127.0.0.1:1"}, "must start with etcd:// or etcds://"},
		{[]string{"--endpoint", "etcd://u:pw@127.0.0.1:1"}, "SKYSH_PASSWORD"},
		{[]string{"--endpoint", "etcd://127.0.0.1:1", "--timeout", "soon"}, "want a duration such as 5s"},
		{[]string{"--endpoint", "etcd://127.0.0.1:1", "--timeout", "0"}, "want a duration from 1ms to 1h"},
	} {
		_, errOut, status := persistRun(t, "", append([]string{"-d", filepath.Join(dir, "data")}, tc.args...)...)
		if status != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("skysh %q: status %d, stderr %q; want status 2 saying %q", tc.args, status, errOut, tc.want)
		}
	}
	for _, tc := range []struct{ toml, want string }{
		{"[remote]\nendpoint = \"etcd://h:1/a/b\"\n", "remote.endpoint"},
		{"[remote]\npassword = \"secret\"\n", "a password never goes in a file"},
		{"[remote]\ntimeout = \"never\"\n", "want a duration"},
		{"[remote]\nendpont = \"etcd://h:1\"\n", "remote.endpoint, remote.user"},
	} {
		conf := filepath.Join(dir, "skysh.toml")
		if err := os.WriteFile(conf, []byte(tc.toml), 0o644); err != nil {
			t.Fatal(err)
		}
		_, errOut, status := persistRun(t, "", "-d", filepath.Join(dir, "data"), "-c", conf, "-e", "HEYA")
		if status == 0 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, "secret") {
			t.Errorf("config %q: status %d, stderr %q; want a failure saying %q", tc.toml, status, errOut, tc.want)
		}
	}
}

// TestRemoteConfigFile: [remote] endpoint and timeout in the configuration
// file choose the cluster; --endpoint overrides the file's.
func TestRemoteConfigFile(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Shared(t)
	fromFile, fromFlag := remoteURL(t, c), remoteURL(t, c)
	conf := filepath.Join(t.TempDir(), "skysh.toml")
	if err := os.WriteFile(conf, []byte("[remote]\nendpoint = \""+fromFile+"\"\ntimeout = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		url  string
	}{
		{[]string{"-c", conf}, fromFile},
		{[]string{"-c", conf, "--endpoint", fromFlag}, fromFlag},
	} {
		_, errOut, status := persistRun(t, "", append(tc.args, "-e", "SET k v", "-e", "!status")...)
		if status != 0 {
			t.Fatalf("skysh %q: status %d\n%s", tc.args, status, errOut)
		}
		ks := tc.url[strings.LastIndex(tc.url, "/")+1:]
		out, errOut, status := persistRun(t, "", "--endpoint", tc.url, "-e", "DBSIZE", "-e", "!status")
		if status != 0 || !strings.HasPrefix(out, "1\n") || !strings.Contains(out, ks) {
			t.Errorf("keyspace %s after skysh %q: %q, status %d\n%s", ks, tc.args, out, status, errOut)
		}
	}
	out, _, _ := persistRun(t, "", "-c", conf, "-e", "!status")
	if !strings.Contains(out, "timeout") || !strings.Contains(out, "3s") {
		t.Errorf("!status does not show the timeout from the file:\n%s", out)
	}
}

// TestRemoteAuthAndTLS: against a cluster with TLS, client certificates and
// auth, skysh connects with --cacert, --cert, --key and --user with the
// password in SKYSH_PASSWORD; a wrong password fails at start with status
// 1, and no output ever shows the password.
func TestRemoteAuthAndTLS(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Start(t, etcdtest.Options{TLS: true, Auth: true})
	ca, cert, key := c.TLSFiles()
	url := c.URL("secure")
	args := []string{"-d", filepath.Join(t.TempDir(), "data"), "--endpoint", url, "--cacert", ca, "--cert", cert, "--key", key, "--user", "root"}
	out, errOut, status := persistRunEnv(t, []string{"SKYSH_PASSWORD=" + c.RootPassword}, "SET k v\nGET k\n", args...)
	if out != "(Okay)\nv\n" || status != 0 {
		t.Errorf("with the right password: %q, status %d\n%s", out, status, errOut)
	}
	out, errOut, status = persistRunEnv(t, []string{"SKYSH_PASSWORD=" + c.RootPassword + "x"}, "GET k\n", args...)
	if status != exitFailed || !strings.Contains(errOut, "authentication failed") || strings.Contains(out+errOut, c.RootPassword) {
		t.Errorf("with a wrong password: %q, status %d, stderr %q; want status 1 saying authentication failed", out, status, errOut)
	}
	// Without SKYSH_PASSWORD and without a terminal to ask at (a new
	// session has none), skysh says how to give the password.
	cmd := exec.Command(persistSkysh(t), append(args, "-e", "HEYA")...)
	cmd.Env = persistEnv()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), "--user root needs a password: set SKYSH_PASSWORD, or run skysh at a terminal") {
		t.Errorf("without a password: %v\n%s", err, b)
	}
}

// TestRemoteEveryMemberStopped drives one skysh through a pipe while every
// member of its cluster is killed: each query answers code 5 within the
// timeout, and once the members are back the same skysh writes again; the
// script exits 1 for the lines that failed.
func TestRemoteEveryMemberStopped(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Start(t, etcdtest.Options{})
	p := persistStart(t, nil, "-d", filepath.Join(t.TempDir(), "data"), "--endpoint", c.URL("ks"), "--json", "--timeout", "500ms")
	p.ask("SET a 1", `{"code":0,"message":"Okay"}`)
	for i := range c.Endpoints() {
		c.Kill(t, i)
	}
	for _, query := range []string{"SET b 2", "GET a", "DBSIZE"} {
		p.send(query)
		if got := p.answer(query); !strings.HasPrefix(got, `{"code":5,"message":"Server Error"`) {
			t.Errorf("%s with every member down = %s, want code 5", query, got)
		}
	}
	// The first write may go out on a connection the client has not yet
	// seen die: then the notice honestly says it broke under the write.
	p.waitStderr("skysh: the cluster refuses writes: ")
	if s := p.stderr.String(); !strings.Contains(s, "the cluster refuses writes: no member of the cluster can be reached") &&
		!strings.Contains(s, "the cluster refuses writes: the connection to a member broke") {
		t.Errorf("the notice gives another reason than no member reachable or a broken connection; stderr:\n%s", s)
	}
	for i := range c.Endpoints() {
		c.Restart(t, i)
	}
	c.WaitHealthy(t)
	p.waitStderr("the cluster takes writes again")
	p.ask("SET b 2", `{"code":0,"message":"Okay"}`)
	p.ask("MGET a b", `["1","2"]`)
	p.stdin.Close()
	if status := p.exit(); status != exitFailed {
		t.Errorf("exit status %d, want 1 for the lines that failed", status)
	}
}

// TestRemoteLeaderKilledMidScript pipes writes into skysh one by one and
// kills the cluster's leader in the middle: the script goes on after the
// election, and every write skysh acknowledged is in the cluster at the end.
func TestRemoteLeaderKilledMidScript(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	c := etcdtest.Start(t, etcdtest.Options{})
	url := c.URL("ks")
	p := persistStart(t, nil, "-d", filepath.Join(t.TempDir(), "data"), "--endpoint", url, "--json")
	const writes, killAt = 120, 40
	var acked []string
	unknown := 0
	for i := range writes {
		if i == killAt {
			c.Kill(t, c.Leader(t))
		}
		k := "k" + strconv.Itoa(i)
		query := "SET " + k + " v" + strconv.Itoa(i)
		p.send(query)
		switch got := p.answer(query); {
		case got == `{"code":0,"message":"Okay"}`:
			acked = append(acked, k)
		case strings.Contains(got, "may or may not have been made"):
			unknown++
		default:
			t.Fatalf("%s = %s", query, got)
		}
	}
	p.stdin.Close()
	p.exit()
	if unknown > 2 || len(acked) < writes-2 {
		t.Errorf("%d writes acknowledged, %d of unknown outcome: the script did not go on after the election", len(acked), unknown)
	}
	check := persistStart(t, nil, "-d", filepath.Join(t.TempDir(), "data"), "--endpoint", url)
	for _, k := range acked {
		check.ask("EXISTS "+k, "1")
	}
	check.stdin.Close()
	check.exit()
}

// TestRemotePromptSaysWhereAndWhy: at a terminal, the prompt names the
// keyspace; when the cluster loses its quorum it turns red and says
// poisoned with the reason, and when the quorum is back it says so again
// without a key being pressed.
func TestRemotePromptSaysWhereAndWhy(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, skyshBinary(t))
	c := etcdtest.Start(t, etcdtest.Options{})
	term := startTerminal(t, "--endpoint", c.URL("shop"), "--timeout", "1s")
	term.waitFor(`^skysh \d+\.\d+\.\d+: 0 keys in etcd cluster 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ keyspace shop\n`, screenTimeout)
	term.waitFor(`^skysh etcd:shop>$`, screenTimeout)
	term.typeText("SET a 1")
	term.press("Enter")
	term.waitFor(`^\(Okay\)\nskysh etcd:shop>$`, screenTimeout)
	// A continued line's "...>" ends where the prompt ends.
	term.typeText(`MSET c1 x \`)
	term.press("Enter")
	term.waitFor(`^skysh etcd:shop> MSET c1 x \\\n {12}\.\.\.>$`, screenTimeout)
	term.typeText("c2 y")
	term.press("Enter")
	term.waitFor(`^ {12}\.\.\.> c2 y\n\(integer\) 2\nskysh etcd:shop>$`, screenTimeout)
	c.Kill(t, 0)
	c.Kill(t, 1)
	term.typeText("SET b 2")
	term.press("Enter")
	screen := term.waitFor(`^skysh etcd:shop \(poisoned: .+\)>$`, screenTimeout)
	if !strings.Contains(screen, "(Server Error)") {
		t.Errorf("the refused write did not answer code 5:\n%s", screen)
	}
	red := regexp.MustCompile(`\x1b\[[0-9;]*\b(31|91)(;[0-9;]*)?m[^\n]*skysh etcd:shop \(poisoned`)
	if coloured := term.colouredScreen(); !red.MatchString(coloured) {
		t.Errorf("the poisoned prompt is not red:\n%q", coloured)
	}
	term.typeText("GET a")
	term.press("Enter")
	term.waitFor(`^"1"\nskysh etcd:shop \(poisoned: .+\)>$`, screenTimeout)
	c.Restart(t, 1)
	term.waitFor(`^skysh etcd:shop>$`, 30*time.Second)
	term.press("C-d")
	term.exited(0)
}

// TestRemoteNeedsEtcdBuild: a plain skysh with no skysh-etcd beside it or
// on PATH says how to build one, and one started as skysh-etcd that lacks
// the client says so, instead of handing over for ever.
func TestRemoteNeedsEtcdBuild(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile(persistSkysh(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	alone := filepath.Join(dir, "skysh")
	if err := os.WriteFile(alone, src, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		env  []string
		want string
	}{
		{[]string{"PATH=" + dir}, "--endpoint needs skysh-etcd, skysh built with the etcd client"},
		{[]string{"SKYSH_ETCD_HANDOVER=1"}, "was built without the etcd client; build it with: go build -tags etcd"},
	} {
		cmd := exec.Command(alone, "-d", filepath.Join(dir, "data"), "--endpoint", "etcd://127.0.0.1:1/ks", "-e", "HEYA")
		cmd.Env = append(persistEnv(), tc.env...)
		out, err := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != exitFailed || !strings.Contains(string(out), tc.want) {
			t.Errorf("with %q: status %d (%v), output %q; want status 1 saying %q", tc.env, code, err, out, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "data")); err == nil {
		t.Error("the data directory was made, though skysh never got to use it")
	}
}

// TestRemoteSettingsPrecedence: each key of [remote] takes effect, and each
// flag given wins over it.
func TestRemoteSettingsPrecedence(t *testing.T) {
	t.Parallel()
	conf := filepath.Join(t.TempDir(), "skysh.toml")
	file := "[remote]\nendpoint = \"etcd://f:1/f\"\nuser = \"fu\"\ncacert = \"fca\"\ncert = \"fc\"\nkey = \"fk\"\ntimeout = \"1500ms\"\n"
	if err := os.WriteFile(conf, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want remoteSettings
	}{
		{[]string{"-c", conf}, remoteSettings{"etcd://f:1/f", "fu", "fca", "fc", "fk", 1500 * time.Millisecond}},
		{[]string{"-c", conf, "--endpoint", "etcds://a:2/b", "--user", "u", "--cacert", "ca", "--cert", "c", "--key", "k", "--timeout", "2"},
			remoteSettings{"etcds://a:2/b", "u", "ca", "c", "k", 2 * time.Second}},
		{[]string{"--endpoint", "etcd://a:2"}, remoteSettings{endpoint: "etcd://a:2"}},
		{nil, remoteSettings{}},
	} {
		opts, err := parseFlags(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		got, err := resolveSettings(opts)
		if err != nil {
			t.Fatal(err)
		}
		if got.remote != tc.want {
			t.Errorf("skysh %q: %+v, want %+v", tc.args, got.remote, tc.want)
		}
	}
}

// TestRemotePasswordAtTheTerminal: with --user and no SKYSH_PASSWORD, skysh
// asks for the password at the terminal without echoing it, and a right
// one opens the keyspace.
func TestRemotePasswordAtTheTerminal(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, skyshBinary(t))
	c := etcdtest.Start(t, etcdtest.Options{Auth: true})
	term := startTerminal(t, "--endpoint", c.URL("asked"), "--user", "root")
	term.waitFor(`^Password for root on 127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*:$`, screenTimeout)
	term.typeText(c.RootPassword)
	term.press("Enter")
	screen := term.waitFor(`^skysh etcd:asked>$`, screenTimeout)
	if strings.Contains(screen, c.RootPassword) {
		t.Errorf("the password is on the screen:\n%s", screen)
	}
	term.typeText("SET k v")
	term.press("Enter")
	term.waitFor(`^skysh etcd:asked> SET k v\n\(Okay\)\nskysh etcd:asked>$`, screenTimeout)
	term.press("C-d")
	term.exited(0)
}

// TestRemoteDumpReplaysLocally: !dump of a keyspace, replayed into a new
// data directory, gives the same store, binary bytes and the empty key
// included.
func TestRemoteDumpReplaysLocally(t *testing.T) {
	t.Parallel()
	withEtcdBuild(t, persistSkysh(t))
	url := remoteURL(t, etcdtest.Shared(t))
	dump := filepath.Join(t.TempDir(), "keyspace.sky")
	if out, errOut, status := persistRun(t, "USET k1 v1 \"\" empty \"\\xff\" \"\\x00\"\n!dump "+dump+"\n", "--endpoint", url); status != 0 {
		t.Fatalf("!dump on the cluster: status %d\n%s%s", status, out, errOut)
	}
	script, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	if out, errOut, status := persistRun(t, string(script), "-d", data, "-q"); status != 0 {
		t.Fatalf("replaying the dump: status %d\n%s%s", status, out, errOut)
	}
	out, errOut, status := persistRun(t, "", "-d", data, "-e", "DBSIZE", "-e", `MGET k1 "" "\xff"`, "--json")
	if want := "3\n[\"v1\",\"empty\",\"\\u0000\"]\n"; out != want || status != 0 {
		t.Errorf("the replayed dump: %q, status %d, want %q\n%s", out, status, want, errOut)
	}
}
