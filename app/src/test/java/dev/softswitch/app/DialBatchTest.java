package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.sip.DialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DialBatchTest {

    @TempDir
    Path dir;

    @Test
    void aHeaderNamesTheColumnsAndTheOthersBecomeVariables() throws Exception {
        Path csv = dir.resolve("n.csv");
        Files.writeString(csv, """
                name,to,note
                # a comment
                "Smith, Ann",+15551230000,"said ""hi""\"

                Bob,+15551230001,
                """);
        List<DialBatch.Entry> entries = DialBatch.read(csv);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).to()).isEqualTo("+15551230000");
        assertThat(entries.get(0).line()).isEqualTo(3);
        assertThat(entries.get(0).variables()).isEqualTo(Map.of("name", "Smith, Ann", "note", "said \"hi\""));
        assertThat(entries.get(1).variables()).containsEntry("note", "");
    }

    @Test
    void aBareListIsOneNumberPerLine() throws Exception {
        Path csv = dir.resolve("n.csv");
        Files.writeString(csv, "+15551230000\nsip:bob@192.0.2.1\n");
        assertThat(DialBatch.read(csv))
                .extracting(DialBatch.Entry::to)
                .containsExactly("+15551230000", "sip:bob@192.0.2.1");
    }

    @Test
    void badFilesSayWhereTheyAreBad() throws Exception {
        Path csv = dir.resolve("n.csv");
        Files.writeString(csv, "name,number\nann,1\n");
        assertThatThrownBy(() -> DialBatch.read(csv))
                .hasMessageContaining("line 1")
                .hasMessageContaining("'to'");
        Files.writeString(csv, "to,name\n1,ann,extra\n");
        assertThatThrownBy(() -> DialBatch.read(csv))
                .hasMessageContaining("line 2")
                .hasMessageContaining("3 columns");
        Files.writeString(csv, "to\n\"1\n");
        assertThatThrownBy(() -> DialBatch.read(csv)).hasMessageContaining("quote");
        Files.writeString(csv, "# nothing\n");
        assertThatThrownBy(() -> DialBatch.read(csv)).hasMessageContaining("no numbers");
        assertThatThrownBy(() -> DialBatch.read(dir.resolve("missing.csv"))).hasMessageContaining("cannot be read");
    }

    @Test
    void theSummaryCountsEachOutcomeThatHappened() {
        Map<DialStatus.Outcome, Integer> counts = new EnumMap<>(DialStatus.Outcome.class);
        counts.put(DialStatus.Outcome.ANSWERED, 7);
        counts.put(DialStatus.Outcome.NO_ANSWER, 2);
        assertThat(DialBatch.summary(counts, 9))
                .isEqualTo(
                        "outcome          calls\nanswered             7\nno answer            2\ntotal                9");
    }
}
