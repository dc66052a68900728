package dev.softswitch.rtp.pool;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
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
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * The Redis the tests use: the one at {@code REDIS_URL} (default {@code redis://127.0.0.1:6379}) when it answers,
 * else a {@code redis-server} started on a free port for this JVM, else a failure naming the Debian package. Each test
 * works under its own random key prefix and deletes its keys. (bridge-websocket's tests have the same helper.)
 */
final class TestRedis implements AutoCloseable {

    private static final String DEFAULT_URL = "redis://127.0.0.1:6379";
    private static @Nullable String url;

    final RedisClient client;
    final StatefulRedisConnection<String, String> connection;
    final String prefix = "test:" + UUID.randomUUID() + ":";

    TestRedis() {
        client = RedisClient.create(RedisURI.create(url()));
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        connection = client.connect();
    }

    /** Deletes this test's keys and disconnects. */
    @Override
    public void close() {
        try (StatefulRedisConnection<String, String> cleaner = client.connect()) {
            List<String> keys = cleaner.sync().keys(prefix + "*");
            if (!keys.isEmpty()) {
                cleaner.sync().del(keys.toArray(new String[0]));
            }
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    static synchronized String url() {
        if (url != null) {
            return url;
        }
        String given = System.getenv("REDIS_URL");
        if (given != null && !given.isBlank()) {
            url = given;
        } else if (answers("127.0.0.1", 6379)) {
            url = DEFAULT_URL;
        } else {
            url = startServer();
        }
        return url;
    }

    private static String startServer() {
        Path server = onPath("redis-server");
        if (server == null) {
            throw new AssertionError("no Redis answers at " + DEFAULT_URL + " (or set REDIS_URL), and redis-server is"
                    + " not installed to start one: apt-get install -y redis-server (.ci/run installs it)");
        }
        int port = freePort();
        try {
            Process process = new ProcessBuilder(
                            server.toString(),
                            "--port",
                            Integer.toString(port),
                            "--bind",
                            "127.0.0.1",
                            "--save",
                            "",
                            "--appendonly",
                            "no")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            Awaitility.await("redis-server on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> !process.isAlive() || answers("127.0.0.1", port));
            if (!process.isAlive()) {
                throw new AssertionError("redis-server on port " + port + " exited at start");
            }
        } catch (IOException e) {
            throw new AssertionError("redis-server would not start: " + e.getMessage(), e);
        }
        return "redis://127.0.0.1:" + port;
    }

    /** Whether a Redis answers PING at {@code host:port} within half a second. */
    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(5);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free TCP port on 127.0.0.1", e);
        }
    }

    private static @Nullable Path onPath(String command) {
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
