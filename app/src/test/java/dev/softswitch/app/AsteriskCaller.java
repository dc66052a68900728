package dev.softswitch.app;

import dev.softswitch.bridge.provider.audiosocket.AudioSocketFrames;
import dev.softswitch.codecs.Pcm;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Plays Asterisk's {@code AudioSocket()} against the softswitch: connects over TCP with TCP_NODELAY, sends the call's
 * UUID, then slin frames of one kind at real time, and keeps every frame that comes back with the time it arrived.
 */
final class AsteriskCaller implements AutoCloseable {

    /** A frame from the softswitch: its kind, payload and arrival (nanoTime). */
    record Frame(int kind, byte[] payload, long at) {}

    private final Socket socket = new Socket();
    private final OutputStream out;
    private final List<Frame> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
    private final Thread reader;

    AsteriskCaller(int port, UUID uuid) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        out = socket.getOutputStream();
        send(AudioSocketFrames.frame(AudioSocketFrames.UUID_KIND, AudioSocketFrames.uuidBytes(uuid)));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        reader = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    int kind = in.readUnsignedByte();
                    byte[] payload = new byte[in.readUnsignedShort()];
                    in.readFully(payload);
                    received.add(new Frame(kind, payload, System.nanoTime()));
                }
            } catch (EOFException e) {
                ended.complete("closed");
            } catch (SocketTimeoutException e) {
                ended.complete("silent");
            } catch (IOException e) {
                ended.complete(socket.isClosed() ? "closed by us" : "error " + e);
            }
        });
    }

    synchronized void send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
    }

    /** Streams {@code frames} 20 ms frames of {@code kind} at real time; returns when the last is sent. */
    void stream(int kind, int frames, IntFunction<short[]> frame) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        int[] next = {0};
        var task = pace.scheduleAtFixedRate(
                () -> {
                    if (next[0] >= frames) {
                        done.complete(null);
                        return;
                    }
                    try {
                        send(AudioSocketFrames.frame(kind, Pcm.toLittleEndian(frame.apply(next[0]++))));
                    } catch (IOException e) {
                        done.completeExceptionally(e);
                    }
                },
                0,
                20,
                TimeUnit.MILLISECONDS);
        try {
            done.get(frames * 20L + 5000, TimeUnit.MILLISECONDS);
        } finally {
            task.cancel(false);
        }
    }

    List<Frame> received() {
        return List.copyOf(received);
    }

    /** The audio received so far, as PCM. */
    short[] heard() {
        int total = 0;
        for (Frame f : received) {
            total += f.payload().length / 2;
        }
        short[] pcm = new short[total];
        int at = 0;
        for (Frame f : received) {
            short[] part = Pcm.fromLittleEndian(f.payload(), 0, f.payload().length);
            System.arraycopy(part, 0, pcm, at, part.length);
            at += part.length;
        }
        return pcm;
    }

    /** Completes when the softswitch closed the connection ("closed"). */
    CompletableFuture<String> ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        pace.shutdownNow();
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
