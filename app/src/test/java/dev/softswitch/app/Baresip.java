package dev.softswitch.app;

import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real softphone (baresip) on 127.0.0.1 that plays a WAV file into a call and records what it hears: the
 * {@code aufile} module is its microphone, {@code sndfile} dumps the decoded audio it received to a WAV file.
 */
final class Baresip {

    /** What the call did: baresip's output and the audio it received. */
    record Call(int exitCode, String output, WavAudio heard) {}

    private Baresip() {}

    private static Process run(Path baresip, Path dir, Path log, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(baresip.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
    }

    /** As {@link #dial}, on another thread, so that the test can play the far end meanwhile. */
    static java.util.concurrent.CompletableFuture<Call> dialAsync(
            Path dir, String uri, String codec, double toneHz, int seconds) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return dial(dir, uri, codec, toneHz, seconds);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Dials {@code uri} with only {@code codec} offered, sends a steady tone of {@code toneHz} for the whole call, hangs
     * up after {@code seconds} and returns what baresip heard.
     */
    static Call dial(Path dir, String uri, String codec, double toneHz, int seconds)
            throws IOException, InterruptedException {
        return dial(dir, uri, codec, toneHz, seconds, List.of());
    }

    /** As {@link #dial}, with more lines in baresip's config, such as {@code sip_cafile FILE} for SIP over TLS. */
    static Call dial(Path dir, String uri, String codec, double toneHz, int seconds, List<String> config)
            throws IOException, InterruptedException {
        Path baresip = configure(dir, FreePorts.udpAndTcp(), codec, toneHz, seconds, "");
        if (!config.isEmpty()) {
            Files.writeString(
                    dir.resolve("config"),
                    String.join("\n", config) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        Process process = run(
                baresip,
                dir,
                dir.resolve("baresip.out"),
                "-f",
                dir.toString(),
                "-e",
                "/dial " + uri,
                "-t",
                Integer.toString(seconds));
        return finish(process, dir, seconds);
    }

    /**
     * A softphone that waits on {@code sipPort} ({@code sip:tester@127.0.0.1:sipPort}), answers the first call at once,
     * sends a steady tone of {@code toneHz} and records what it hears; it quits after {@code seconds} in all. Join the
     * result once the call is over.
     */
    static java.util.concurrent.CompletableFuture<Call> answer(
            Path dir, int sipPort, String codec, double toneHz, int seconds) throws IOException {
        Path baresip = configure(dir, sipPort, codec, toneHz, seconds, ";answermode=auto");
        Process process =
                run(baresip, dir, dir.resolve("baresip.out"), "-f", dir.toString(), "-t", Integer.toString(seconds));
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return finish(process, dir, seconds);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * A softphone that registers {@code sip:user@127.0.0.1} with digest {@code password} at the registrar on
     * {@code registrarPort} (refreshing every 60 s) and stays up for {@code seconds}; stop it with {@link
     * Process#destroy()} (SIGTERM), on which it unregisters. Its output is in {@code baresip.out}.
     */
    static Process register(Path dir, int registrarPort, String user, String password, int seconds) throws IOException {
        Path baresip = configure(dir, FreePorts.udpAndTcp(), "PCMU", 440, seconds, "");
        Files.writeString(
                dir.resolve("accounts"),
                "<sip:" + user + "@127.0.0.1:" + registrarPort + ";transport=udp>;auth_pass=" + password
                        + ";regint=60;audio_codecs=PCMU\n");
        return run(baresip, dir, dir.resolve("baresip.out"), "-f", dir.toString(), "-t", Integer.toString(seconds));
    }

    /** Writes baresip's config and accounts into {@code dir}, and the tone it plays. */
    private static Path configure(Path dir, int sipPort, String codec, double toneHz, int seconds, String accountParams)
            throws IOException {
        Path baresip = Tools.require("baresip", "baresip");
        Path tone = dir.resolve("tone.wav");
        int rate = codec.equals("G722") ? 16000 : 8000;
        short[] samples = new ToneGenerator(toneHz, rate, 0.4).next(rate * (seconds + 2));
        try (OutputStream out = Files.newOutputStream(tone)) {
            Wav.write(out, samples, rate, 1);
        }
        int rtp = FreePorts.rtpRangeStart();
        Files.writeString(
                dir.resolve("config"),
                String.join(
                        "\n",
                        List.of(
                                "poll_method epoll",
                                "sip_listen 127.0.0.1:" + sipPort,
                                "net_interface 127.0.0.1", // stay on loopback
                                "audio_source aufile," + tone,
                                "audio_player aubridge,nil",
                                "audio_alert aubridge,nil",
                                "rtp_ports " + (rtp + 300) + "-" + (rtp + 398),
                                "module_path /usr/lib/baresip/modules",
                                "module g711.so",
                                "module g722.so",
                                "module aufile.so",
                                "module aubridge.so",
                                "module sndfile.so",
                                "snd_path " + dir,
                                "module_app account.so",
                                "module_app menu.so",
                                "")),
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("accounts"),
                "<sip:tester@127.0.0.1>;regint=0;audio_codecs=" + codec + accountParams + "\n");
        return baresip;
    }

    private static Call finish(Process process, Path dir, int seconds) throws IOException, InterruptedException {
        Path log = dir.resolve("baresip.out");
        boolean done = process.waitFor(seconds + 20L, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Path heard = null;
        try (DirectoryStream<Path> dumps = Files.newDirectoryStream(dir, "dump-*-dec.wav")) {
            for (Path p : dumps) {
                heard = p;
            }
        }
        if (heard == null) {
            throw new AssertionError("baresip recorded nothing (no dump-*-dec.wav); its output:\n" + output);
        }
        return new Call(done ? process.exitValue() : -99, output, Wav.read(heard));
    }
}
