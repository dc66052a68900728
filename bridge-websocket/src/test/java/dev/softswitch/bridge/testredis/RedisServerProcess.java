package dev.softswitch.bridge.testredis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * A {@code redis-server} of a test's own on 127.0.0.1, without persistence, that the test may stop and start again on
 * the same port, or freeze and thaw (SIGSTOP, SIGCONT: it keeps accepting TCP connections and reading nothing, as a
 * stalled host or a long blocking command would). Fails, naming the Debian package, when {@code redis-server} is not
 * installed.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Path executable;
    private final int port;
    private final @Nullable String password;
    private @Nullable Process process;

    private RedisServerProcess(Path executable, int port, @Nullable String password) {
        this.executable = executable;
        this.port = port;
        this.password = password;
    }

    /** A new server on a free port, answering PING when this returns. */
    public static RedisServerProcess start() {
        return start(null);
    }

    /** As {@link #start()}, requiring {@code password} ({@code requirepass}) when not null. */
    public static RedisServerProcess start(@Nullable String password) {
        Path executable = onPath("redis-server");
        if (executable == null) {
            throw new AssertionError(
                    "redis-server is not installed; this test needs it: apt-get install -y redis-server"
                            + " (.ci/run installs it)");
        }
        RedisServerProcess server = new RedisServerProcess(executable, freePort(), password);
        server.startAgain();
        return server;
    }

    public int port() {
        return port;
    }

    /** {@code redis://[:password@]127.0.0.1:port}. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port; waits until it answers. */
    public synchronized void startAgain() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            List<String> command = new ArrayList<>(List.of(
                    executable.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", ""));
            if (password != null) {
                command.addAll(List.of("--requirepass", password));
            }
            Process started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process = started;
            Awaitility.await("redis-server on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !started.isAlive() || answers("127.0.0.1", port));
            if (!started.isAlive()) {
                throw new AssertionError(
                        "redis-server on port " + port + " exited at start (exit " + started.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new AssertionError("redis-server would not start: " + e.getMessage(), e);
        }
    }

    /** Stops the server (SIGKILL: as abrupt as a crash or a cut cable); its data is gone. */
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroyForcibly();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("redis-server on port " + port + " would not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /**
     * Freezes the server (SIGSTOP): connections stay open and the kernel still accepts new ones, but no command is
     * answered until {@link #thaw}.
     */
    public synchronized void freeze() {
        signal("STOP");
    }

    /** Lets a frozen server run again (SIGCONT): it answers what was sent meanwhile, in order. */
    public synchronized void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(running.pid()))
                    .redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + running.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new AssertionError("kill -" + name + " would not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted sending SIG" + name, e);
        }
    }

    @Override
    public void close() {
        stop(); // SIGKILL ends a frozen server too
    }

    /** Whether a Redis answers PING at {@code host:port} within half a second (NOAUTH is an answer too). */
    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(5), StandardCharsets.US_ASCII);
            return reply.equals("+PONG") || reply.equals("-NOAU");
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free TCP port on 127.0.0.1", e);
        }
    }

    static @Nullable Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : Pattern.compile(Pattern.quote(File.pathSeparator))
                .splitAsStream(path == null ? "" : path)
                .toList()) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
