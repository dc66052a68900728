package dev.softswitch.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Marks, clear, non-blocking offers and resampling: what a bot behind a WebSocket relies on. */
class QueueMediaPortPlayoutTest {

    private final List<String> events = new ArrayList<>();
    private final PlayoutMark recorder = (name, played) -> events.add(name + (played ? " played" : " dropped"));

    private static short[] frame(int samples, int value) {
        short[] f = new short[samples];
        java.util.Arrays.fill(f, (short) value);
        return f;
    }

    @Test
    void aMarkIsReachedOnlyAfterTheAudioBeforeItWasTakenBySomeTick() {
        QueueMediaPort port = new QueueMediaPort(160, 25, 100, reason -> {});
        assertThat(port.offer(frame(160, 1))).isTrue();
        assertThat(port.offer(frame(160, 2))).isTrue();
        port.mark("after-two", recorder);
        assertThat(port.offer(frame(160, 3))).isTrue();

        assertThat(port.pollToCaller()[0]).isEqualTo((short) 1);
        assertThat(events).isEmpty();
        assertThat(port.pollToCaller()[0]).isEqualTo((short) 2); // handed to the sender on this tick, not sent yet
        assertThat(events).isEmpty();
        assertThat(port.pollToCaller()[0]).isEqualTo((short) 3); // the tick after: frame 2 went out
        assertThat(events).containsExactly("after-two played");
    }

    @Test
    void aMarkWithNothingBeforeItIsReachedOnTheNextTick() {
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        port.mark("now", recorder);
        assertThat(port.pollToCaller()).isNull();
        assertThat(events).containsExactly("now played");
    }

    @Test
    void clearDropsTheQueuedAudioAtOnceAndReportsItsMarksAsNotPlayed() {
        QueueMediaPort port = new QueueMediaPort(160, 25, 100, reason -> {});
        for (int i = 0; i < 50; i++) {
            port.offer(frame(160, 7));
        }
        port.mark("end-of-answer", recorder);
        port.offer(frame(160, 8));
        assertThat(port.pollToCaller()).isNotNull();

        port.clear();

        assertThat(port.queuedFrames()).isZero();
        assertThat(port.pollToCaller()).as("the very next tick sends nothing").isNull();
        assertThat(events).containsExactly("end-of-answer dropped");
    }

    @Test
    void offerRefusesWhenThePlayoutQueueIsFullAndWhenTheCallEnded() {
        QueueMediaPort port = new QueueMediaPort(160, 25, 3, reason -> {});
        assertThat(port.offer(frame(160, 1))).isTrue();
        assertThat(port.offer(frame(160, 1))).isTrue();
        assertThat(port.offer(frame(160, 1))).isTrue();
        assertThat(port.offer(frame(160, 1))).isFalse();
        assertThat(port.queuedFrames()).isEqualTo(3);
        port.close();
        assertThat(port.offer(frame(160, 1))).isFalse();
        port.mark("late", recorder);
        assertThat(events).containsExactly("late dropped");
    }

    @Test
    void marksStillQueuedWhenTheCallEndsAreReportedAsNotPlayed() {
        QueueMediaPort port = new QueueMediaPort(160, reason -> {});
        port.offer(frame(160, 1));
        port.mark("m", recorder);
        port.close();
        assertThat(events).containsExactly("m dropped");
    }

    @Test
    void framesOfTheWrongLengthAreRefused() {
        QueueMediaPort port = QueueMediaPort.between(16000, 8000, 10, reason -> {});
        assertThatThrownBy(() -> port.offer(new short[320]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("160");
    }

    @Test
    void aPortBetweenA16kCallAndAn8kAssistantResamplesBothWaysKeepingTheTone() throws Exception {
        QueueMediaPort port = QueueMediaPort.between(16000, 8000, 100, reason -> {});
        ToneGenerator callerTone = new ToneGenerator(1000, 16000, 0.5);
        ToneGenerator botTone = new ToneGenerator(600, 8000, 0.5);
        short[] heard = new short[8000];
        short[] said = new short[16000];
        for (int i = 0; i < 50; i++) {
            short[] in = callerTone.next(320);
            port.offerFromCaller(in);
            short[] read = port.read(java.time.Duration.ZERO);
            assertThat(read).hasSize(160);
            System.arraycopy(read, 0, heard, i * 160, 160);

            short[] out = botTone.next(160);
            port.write(out);
            short[] sent = port.pollToCaller();
            assertThat(sent).hasSize(320);
            System.arraycopy(sent, 0, said, i * 320, 320);
        }
        // Past the resampler's few milliseconds of delay, each side carries its tone and nothing else.
        assertThat(Goertzel.relativePower(heard, 800, 4000, 1000, 8000)).isGreaterThan(0.9);
        assertThat(Goertzel.relativePower(said, 1600, 8000, 600, 16000)).isGreaterThan(0.9);
    }
}
