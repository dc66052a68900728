package dev.softswitch.app;

import dev.softswitch.codecs.G711;
import dev.softswitch.codecs.ToneGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs SIPp ({@code sip-tester}) on 127.0.0.1 against a test server, bounded in calls and time. */
final class Sipp {

    /** How SIPp ended: its exit code (0 = every call succeeded) and everything it printed. */
    record Result(int exitCode, String output) {}

    private Sipp() {}

    /**
     * Runs {@code sipp -i 127.0.0.1 -p <free> <args> 127.0.0.1:<sipPort>} in {@code dir} and waits for it.
     *
     * @param args the scenario and call options, e.g. {@code -sn uac -s echo -m 100 -r 20}
     */
    static Result run(Path dir, int sipPort, Duration limit, String... args) throws IOException, InterruptedException {
        return runFrom("127.0.0.1", dir, sipPort, limit, args);
    }

    /** As {@link #run}, from another loopback address (e.g. 127.0.0.2, to play a trunk known by its address). */
    static Result runFrom(String localIp, Path dir, int sipPort, Duration limit, String... args)
            throws IOException, InterruptedException {
        Process process = start(localIp, dir, sipPort, limit, args);
        boolean done = process.waitFor(limit.toSeconds() + 15, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(dir.resolve("sipp.out"), StandardCharsets.UTF_8);
        for (Path log : Files.newDirectoryStream(dir, "*_errors.log")) {
            output += "\n--- " + log.getFileName() + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1);
        }
        return new Result(done ? process.exitValue() : -99, output);
    }

    /** Starts SIPp without waiting; output goes to {@code dir/sipp.out}. */
    static Process start(Path dir, int sipPort, Duration limit, String... args) throws IOException {
        return start("127.0.0.1", dir, sipPort, limit, args);
    }

    static Process start(String localIp, Path dir, int sipPort, Duration limit, String... args) throws IOException {
        Path sipp = Tools.require("sipp", "sip-tester");
        List<String> command = new ArrayList<>(List.of(
                sipp.toString(),
                "-i",
                localIp,
                "-p",
                Integer.toString(FreePorts.udpAndTcp()),
                "-mp",
                Integer.toString(FreePorts.mediaPorts()),
                "-nostdin",
                "-timeout",
                limit.toSeconds() + "s",
                "-timeout_error",
                "-trace_err"));
        command.addAll(List.of(args));
        command.add("127.0.0.1:" + sipPort);
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile())
                .start();
    }

    /**
     * Starts SIPp as a server: {@code sipp -i 127.0.0.1 -p <sipPort> -mp <free> <args>}, taking calls on
     * {@code sipPort} until its scenario has run {@code -m} times or {@code limit} passes; output goes to
     * {@code dir/sipp.out}. {@link #result} waits for it.
     */
    static Process serve(Path dir, int sipPort, Duration limit, String... args) throws IOException {
        Path sipp = Tools.require("sipp", "sip-tester");
        List<String> command = new ArrayList<>(List.of(
                sipp.toString(),
                "-i",
                "127.0.0.1",
                "-p",
                Integer.toString(sipPort),
                "-mp",
                Integer.toString(FreePorts.mediaPorts()),
                "-nostdin",
                "-timeout",
                limit.toSeconds() + "s",
                "-timeout_error",
                "-trace_err"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.out").toFile())
                .start();
    }

    /** Waits for a SIPp started by {@link #serve} (killing it after {@code limit}) and reads what it printed. */
    static Result result(Process process, Path dir, Duration limit) throws IOException, InterruptedException {
        boolean done = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String output = Files.readString(dir.resolve("sipp.out"), StandardCharsets.UTF_8);
        for (Path log : Files.newDirectoryStream(dir, "*_errors.log")) {
            output += "\n--- " + log.getFileName() + "\n" + Files.readString(log, StandardCharsets.ISO_8859_1);
        }
        return new Result(done ? process.exitValue() : -99, output);
    }

    /**
     * Scenario steps that end a call from our side: our BYE awaited ({@code timeoutMs}, 0 for SIPp's default) and
     * answered 200. For a template's {@code ${ending}}.
     */
    static String awaitOurBye(int timeoutMs) {
        return """
                  <recv request="BYE"%s/>
                  <send>
                    <![CDATA[
                      SIP/2.0 200 OK
                      [last_Via:]
                      [last_From:]
                      [last_To:]
                      [last_Call-ID:]
                      [last_CSeq:]
                      Content-Length: 0

                    ]]>
                  </send>
                """.formatted(timeoutMs > 0 ? " timeout=\"" + timeoutMs + "\"" : "");
    }

    /**
     * Scenario steps that end a call from the caller's side: a pause of {@code pauseMs}, BYE (CSeq 3), and the answer
     * {@code expected} awaited ({@code timeoutMs}, 0 for SIPp's default). For a template's {@code ${ending}}.
     */
    static String byeAfter(int pauseMs, String expected, int timeoutMs) {
        return """
                  <pause milliseconds="%d"/>
                  <send>
                    <![CDATA[
                      BYE [next_url] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      From: <sip:tester@[local_ip]:[local_port]>;tag=[call_number]
                      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
                      Call-ID: [call_id]
                      CSeq: 3 BYE
                      Max-Forwards: 70
                      Content-Length: 0

                    ]]>
                  </send>
                  <recv response="%s"%s/>
                """.formatted(pauseMs, expected, timeoutMs > 0 ? " timeout=\"" + timeoutMs + "\"" : "");
    }

    /** Two seconds of a {@code hz} tone as raw A-law ({@code tone.alaw} in {@code dir}), for a scenario's {@code ${audio}}. */
    static Path alawTone(Path dir, double hz) throws IOException {
        short[] tone = new ToneGenerator(hz, 8000, 0.3).next(8000 * 2);
        byte[] alaw = new byte[tone.length];
        for (int i = 0; i < tone.length; i++) {
            alaw[i] = G711.linearToAlaw(tone[i]);
        }
        Path file = dir.resolve("tone.alaw");
        Files.write(file, alaw);
        return file;
    }

    /** Writes the scenario template {@code sipp/<name>.xml} into {@code dir} with {@code ${key}} replaced. */
    static Path scenario(Path dir, String name, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + name + ".xml")) {
            if (in == null) {
                throw new IOException("no scenario sipp/" + name + ".xml in the test resources");
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        Path file = dir.resolve(name + ".xml");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }
}
