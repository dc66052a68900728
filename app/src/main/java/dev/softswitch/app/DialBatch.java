package dev.softswitch.app;

import dev.softswitch.sip.DialRequest;
import dev.softswitch.sip.DialStatus;
import dev.softswitch.sip.SipServer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * {@code dial --to-file}: places a batch of calls, at most {@code concurrency} at a time, with a progress bar, one
 * result line per call in a CSV file as each ends, and a summary table at the end. Exits 0 when every call was
 * answered, else with the code of the first call that was not.
 */
final class DialBatch {

    /** One row of the input: its line number, the number or URI, and the other columns as variables. */
    record Entry(int line, String to, Map<String, String> variables) {}

    /** The CSV cannot be used. */
    static final class BadFile extends Exception {
        private static final long serialVersionUID = 1L;

        BadFile(String message) {
            super(message, null, false, false);
        }
    }

    /** More rows than this is a campaign for the API, not one command. */
    static final int MAX_ROWS = 100_000;

    private final SipServer sip;
    private final PrintStream out;
    private final int concurrency;

    DialBatch(SipServer sip, PrintStream out, int concurrency) {
        this.sip = sip;
        this.out = out;
        this.concurrency = concurrency;
    }

    /**
     * Reads a CSV: a header line naming the columns, one of them {@code to}; every other column becomes a variable of
     * that row's call. Values may be double-quoted ({@code ""} inside quotes is a quote). Blank lines and lines
     * starting with {@code #} are skipped. A file with one column and no header {@code to} is a plain list of numbers.
     */
    static List<Entry> read(Path file) throws BadFile {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadFile(file + ": cannot be read: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        List<String> header = null;
        int toColumn = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> cells = cells(line, file, i + 1);
            if (header == null) {
                header = cells;
                toColumn = header.indexOf("to");
                if (toColumn >= 0) {
                    continue;
                }
                if (cells.size() > 1) {
                    throw new BadFile(file + " line " + (i + 1) + ": the header needs a column named 'to'");
                }
                toColumn = 0; // a bare list of numbers: this line is the first number
                header = List.of("to");
            }
            if (cells.size() != header.size()) {
                throw new BadFile(
                        file + " line " + (i + 1) + ": " + cells.size() + " columns, the header has " + header.size());
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (int c = 0; c < cells.size(); c++) {
                if (c != toColumn) {
                    variables.put(header.get(c), cells.get(c));
                }
            }
            entries.add(new Entry(i + 1, cells.get(toColumn), variables));
            if (entries.size() > MAX_ROWS) {
                throw new BadFile(file + ": more than " + MAX_ROWS + " calls; split the file");
            }
        }
        if (entries.isEmpty()) {
            throw new BadFile(file + ": no numbers to call");
        }
        return entries;
    }

    private static List<String> cells(String line, Path file, int number) throws BadFile {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (c == ',') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new BadFile(file + " line " + number + ": a quote is not closed");
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** Places every call; returns the exit status (0 when all were answered). */
    int run(List<Entry> entries, List<DialRequest> requests, Path resultsFile) throws InterruptedException {
        Map<DialStatus.Outcome, Integer> counts = new EnumMap<>(DialStatus.Outcome.class);
        Semaphore slots = new Semaphore(concurrency);
        List<CompletableFuture<DialStatus>> all = new ArrayList<>();
        int[] done = {0};
        int[] firstFailure = {0};
        try (BufferedWriter results = Files.newBufferedWriter(resultsFile, StandardCharsets.UTF_8)) {
            results.write("line,to,call_id,outcome,sip_status,talked_s,detail\n");
            results.flush();
            for (int i = 0; i < requests.size(); i++) {
                slots.acquire();
                Entry entry = entries.get(i);
                CompletableFuture<DialStatus> ended =
                        sip.dial(requests.get(i), s -> {}).ended();
                all.add(ended.whenComplete((status, error) -> {
                    slots.release();
                    synchronized (counts) {
                        DialStatus.Outcome outcome = status == null || status.outcome() == null
                                ? DialStatus.Outcome.FAILED
                                : status.outcome();
                        counts.merge(outcome, 1, Integer::sum);
                        done[0]++;
                        if (outcome != DialStatus.Outcome.ANSWERED && firstFailure[0] == 0 && status != null) {
                            firstFailure[0] = DialCommand.exitCode(status);
                        }
                        try {
                            results.write(resultLine(entry, status));
                            results.flush();
                        } catch (IOException e) {
                            out.println("results file " + resultsFile + ": " + e.getMessage());
                        }
                        progress(done[0], requests.size(), counts);
                    }
                }));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        } catch (IOException e) {
            out.println("softswitch dial: results file " + resultsFile + ": " + e.getMessage());
            return 1;
        }
        out.println();
        out.println(summary(counts, requests.size()));
        out.println("results: " + resultsFile);
        return firstFailure[0];
    }

    private static String resultLine(Entry entry, DialStatus status) {
        if (status == null) {
            return entry.line() + "," + csv(entry.to()) + ",,failed,0,0,\n";
        }
        return String.join(
                        ",",
                        Integer.toString(entry.line()),
                        csv(entry.to()),
                        status.callId(),
                        status.outcome() == null ? "failed" : status.outcome().label(),
                        Integer.toString(status.sipStatus()),
                        Long.toString(status.talkTime(status.ended() != null ? status.ended() : status.started())
                                .toSeconds()),
                        csv(status.detail()))
                + "\n";
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private void progress(int done, int total, Map<DialStatus.Outcome, Integer> counts) {
        int width = 30;
        int filled = (int) ((long) done * width / total);
        out.print(String.format(
                Locale.ROOT,
                "\r[%s%s] %d/%d  answered %d  busy %d  no answer %d  failed %d",
                "#".repeat(filled),
                ".".repeat(width - filled),
                done,
                total,
                counts.getOrDefault(DialStatus.Outcome.ANSWERED, 0),
                counts.getOrDefault(DialStatus.Outcome.BUSY, 0),
                counts.getOrDefault(DialStatus.Outcome.NO_ANSWER, 0),
                done
                        - counts.getOrDefault(DialStatus.Outcome.ANSWERED, 0)
                        - counts.getOrDefault(DialStatus.Outcome.BUSY, 0)
                        - counts.getOrDefault(DialStatus.Outcome.NO_ANSWER, 0)));
        out.flush();
    }

    /** The table printed at the end: one row per outcome that happened, and the total. */
    static String summary(Map<DialStatus.Outcome, Integer> counts, int total) {
        StringBuilder table = new StringBuilder("outcome          calls\n");
        for (DialStatus.Outcome outcome : DialStatus.Outcome.values()) {
            Integer n = counts.get(outcome);
            if (n != null) {
                table.append(String.format(
                        Locale.ROOT, "%-16s %5d%n", outcome.label().replace('_', ' '), n));
            }
        }
        table.append(String.format(Locale.ROOT, "%-16s %5d", "total", total));
        return table.toString();
    }
}
