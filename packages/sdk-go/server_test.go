package tally_test

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

// runningTally is the real Tally service (`node services/api/src/main.ts`) on a free port with a
// fresh embedded database.
type runningTally struct {
	baseURL string
	apiKey  string
	cmd     *exec.Cmd
	dataDir string
}

func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func nodeBinary(root string) string {
	// The repository's Node 24 (the `node` devDependency), else whatever node is on PATH.
	local := filepath.Join(root, "node_modules", ".bin", "node")
	if _, err := os.Stat(local); err == nil {
		return local
	}
	return "node"
}

func startTally() (*runningTally, error) {
	root := repoRoot()
	dataDir, err := os.MkdirTemp("", "tally-sdk-go-")
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 16)
	_, _ = rand.Read(secret)
	apiKey := "sk_test_" + hex.EncodeToString(secret)

	cmd := exec.Command(nodeBinary(root), "src/main.ts")
	cmd.Dir = filepath.Join(root, "services", "api")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DATABASE_URL=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PORT=0", "HOST=127.0.0.1", "TALLY_DATA_DIR="+dataDir, "TALLY_API_KEY="+apiKey, "LOG_LEVEL=info", "TALLY_VALIDATE_RESPONSES=1", "TALLY_WEBHOOK_ALLOW_PRIVATE=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dataDir)
		return nil, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	running := &runningTally{apiKey: apiKey, cmd: cmd, dataDir: dataDir}

	found := make(chan string, 1)
	var mu sync.Mutex
	var seen []string
	go func() {
		scanner := bufio.NewScanner(stdout)
		scanner.Buffer(make([]byte, 1024*1024), 1024*1024)
		listening := false
		for scanner.Scan() {
			if listening {
				continue // keep draining: a full pipe would block the server
			}
			line := scanner.Text()
			mu.Lock()
			seen = append(seen, line)
			mu.Unlock()
			var entry struct {
				Msg string `json:"msg"`
				URL string `json:"url"`
			}
			if json.Unmarshal([]byte(line), &entry) == nil && strings.Contains(entry.Msg, "listening") && entry.URL != "" {
				listening = true
				found <- entry.URL
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		if !listening {
			close(found)
		}
	}()
	log := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(seen, "\n")
	}
	select {
	case url, ok := <-found:
		if ok {
			running.baseURL = url + "/v1"
			return running, nil
		}
		running.stop()
		return nil, fmt.Errorf("tally exited before listening:\n%s", log())
	case <-time.After(60 * time.Second):
		running.stop()
		return nil, fmt.Errorf("tally did not log \"listening\" within 60 s:\n%s", log())
	}
}

func (r *runningTally) stop() {
	if r.cmd.Process != nil {
		_ = r.cmd.Process.Signal(syscall.SIGTERM) // Tally finishes in-flight requests and closes the database
		done := make(chan struct{})
		go func() { _ = r.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = r.cmd.Process.Kill()
			<-done
		}
	}
	os.RemoveAll(r.dataDir)
}
