package dev.softswitch.assistant.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.softswitch.codecs.Goertzel;
import dev.softswitch.codecs.ToneGenerator;
import dev.softswitch.codecs.Wav;
import dev.softswitch.codecs.WavAudio;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRecorderTest {

    private static final int RATE = 8000;
    private static final int FRAME = RATE / 50;
    private static final double AMPLITUDE = 0.5;
    private static final Duration PATIENCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void callerIsLeftAndAssistantRightAtTheSameTicks() throws IOException {
        Path file = dir.resolve("recordings/2025/call-1.wav"); // the parent directories do not exist yet
        CallRecorder recorder = CallRecorder.open(file, RATE);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        ToneGenerator assistant = new ToneGenerator(1000, RATE, AMPLITUDE);
        short[] frame = new short[FRAME]; // one array for both directions, reused: the recorder must copy
        for (long tick = 7_000; tick < 7_100; tick++) { // 2 s, ticks not starting at 0
            caller.next(frame);
            recorder.caller(tick, frame);
            assistant.next(frame);
            recorder.assistant(tick, frame);
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(audio.channels()).isEqualTo(2);
        assertThat(audio.sampleRate()).isEqualTo(RATE);
        assertThat(audio.frames()).isEqualTo(2 * RATE);
        assertTone(audio.channel(0), 440, 1000, RATE);
        assertTone(audio.channel(1), 1000, 440, RATE);
        assertThat(audio.channel(0)).isEqualTo(tone(440, RATE, 2 * RATE));
        assertThat(audio.channel(1)).isEqualTo(tone(1000, RATE, 2 * RATE));
        assertSizesInHeader(file);
        assertThat(recorder.framesWritten()).isEqualTo(200);
        assertThat(recorder.droppedFrames()).isZero();
        assertThat(recorder.file()).isEqualTo(file);
    }

    @Test
    void sixteenKilohertzCallsRecordAtSixteenKilohertz() throws IOException {
        int rate = 16_000;
        Path file = dir.resolve("wideband.wav");
        CallRecorder recorder = CallRecorder.open(file, rate);
        ToneGenerator caller = new ToneGenerator(440, rate, AMPLITUDE);
        ToneGenerator assistant = new ToneGenerator(1000, rate, AMPLITUDE);
        for (long tick = 0; tick < 100; tick++) {
            recorder.caller(tick, caller.next(rate / 50));
            recorder.assistant(tick, assistant.next(rate / 50));
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(audio.sampleRate()).isEqualTo(rate);
        assertThat(audio.frames()).isEqualTo(2 * rate);
        assertTone(audio.channel(0), 440, 1000, rate);
        assertTone(audio.channel(1), 1000, 440, rate);
        assertSizesInHeader(file);
    }

    @Test
    void twoCallerFramesOnOneTickThenNoneKeepTheirOrderAndTheLength() throws IOException {
        Path file = dir.resolve("jitter.wav");
        CallRecorder recorder = CallRecorder.open(file, RATE);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        ToneGenerator assistant = new ToneGenerator(1000, RATE, AMPLITUDE);
        int callerFrames = 0;
        for (long tick = 0; tick < 100; tick++) {
            recorder.assistant(tick, assistant.next(FRAME));
            if (tick % 10 == 4) {
                continue; // this tick's packet came early, with the previous one
            }
            recorder.caller(tick, caller.next(FRAME));
            callerFrames++;
            if (tick % 10 == 3) {
                recorder.caller(tick, caller.next(FRAME)); // two frames on one tick
                callerFrames++;
            }
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(callerFrames).isEqualTo(100);
        assertThat(audio.frames()).isEqualTo(2 * RATE);
        // The second frame of a tick takes the next slot, which the skipped tick left free: one unbroken tone.
        assertThat(audio.channel(0)).isEqualTo(tone(440, RATE, 2 * RATE));
        assertThat(audio.channel(1)).isEqualTo(tone(1000, RATE, 2 * RATE));
        assertSizesInHeader(file);
    }

    @Test
    void aLateCallerFrameFollowsItsPredecessorAndTheLengthStaysWithinAFrame() throws IOException {
        Path file = dir.resolve("late.wav");
        CallRecorder recorder = CallRecorder.open(file, RATE);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        for (long tick = 0; tick < 100; tick++) {
            recorder.assistant(tick, new short[FRAME]);
            if (tick % 10 == 4) {
                continue; // this tick's packet is late: it arrives with the next one
            }
            recorder.caller(tick, caller.next(FRAME));
            if (tick % 10 == 5) {
                recorder.caller(tick, caller.next(FRAME));
            }
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(audio.frames()).isBetween(100 * FRAME, 101 * FRAME);
        short[] left = audio.channel(0);
        // Slot 4 stayed silent; the late frame and the one after it went to slots 5 and 6, nothing overlaid.
        assertThat(Arrays.copyOfRange(left, 4 * FRAME, 5 * FRAME)).containsOnly((short) 0);
        short[] sent = tone(440, RATE, 100 * FRAME);
        assertThat(Arrays.copyOfRange(left, 5 * FRAME, 7 * FRAME))
                .isEqualTo(Arrays.copyOfRange(sent, 4 * FRAME, 6 * FRAME));
        assertSizesInHeader(file);
    }

    @Test
    void ticksWithNothingSentAreSilenceAndTheShorterChannelIsPadded() throws IOException {
        Path file = dir.resolve("pauses.wav");
        CallRecorder recorder = CallRecorder.open(file, RATE);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        ToneGenerator assistant = new ToneGenerator(1000, RATE, AMPLITUDE);
        for (long tick = 0; tick < 100; tick++) {
            recorder.caller(tick, caller.next(FRAME));
            if (tick < 40 || (tick >= 60 && tick < 80)) { // silent 40..59, and done after 79
                recorder.assistant(tick, assistant.next(FRAME));
            }
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(audio.frames()).isEqualTo(100 * FRAME);
        short[] right = audio.channel(1);
        short[] sent = tone(1000, RATE, 60 * FRAME);
        assertThat(Arrays.copyOfRange(right, 0, 40 * FRAME)).isEqualTo(Arrays.copyOfRange(sent, 0, 40 * FRAME));
        assertThat(Arrays.copyOfRange(right, 40 * FRAME, 60 * FRAME)).containsOnly((short) 0);
        assertThat(Arrays.copyOfRange(right, 60 * FRAME, 80 * FRAME))
                .isEqualTo(Arrays.copyOfRange(sent, 40 * FRAME, 60 * FRAME));
        assertThat(Arrays.copyOfRange(right, 80 * FRAME, 100 * FRAME)).containsOnly((short) 0);
        assertThat(audio.channel(0)).isEqualTo(tone(440, RATE, 100 * FRAME));
        assertSizesInHeader(file);
    }

    @Test
    void aChannelMoreThanASecondAheadIsWrittenWithoutWaitingForTheOther() throws IOException {
        Path file = dir.resolve("ahead.wav");
        CallRecorder recorder = CallRecorder.open(file, RATE);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        ToneGenerator assistant = new ToneGenerator(1000, RATE, AMPLITUDE);
        for (long tick = 0; tick < 150; tick++) {
            recorder.caller(tick, caller.next(FRAME)); // 3 s of caller, the assistant silent
        }
        // Everything but the last second is written while the call goes on.
        await().atMost(PATIENCE).until(() -> recorder.framesWritten() == 100);
        await().atMost(PATIENCE).until(() -> Files.size(file) == StereoWavFile.HEADER_BYTES + 100L * FRAME * 4);
        for (long tick = 150; tick < 200; tick++) {
            recorder.caller(tick, caller.next(FRAME));
            recorder.assistant(tick, assistant.next(FRAME));
        }
        recorder.close();

        WavAudio audio = Wav.read(file);
        assertThat(audio.frames()).isEqualTo(200 * FRAME);
        assertThat(audio.channel(0)).isEqualTo(tone(440, RATE, 200 * FRAME));
        short[] right = audio.channel(1);
        assertThat(Arrays.copyOfRange(right, 0, 150 * FRAME)).containsOnly((short) 0);
        assertThat(Arrays.copyOfRange(right, 150 * FRAME, 200 * FRAME)).isEqualTo(tone(1000, RATE, 50 * FRAME));
        assertThat(recorder.framesWritten()).isEqualTo(250);
    }

    @Test
    void aFullQueueDropsAndCountsWithoutBlocking() throws Exception {
        Path file = dir.resolve("slow.wav");
        int queueFrames = 10;
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch releaseWriter = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Runnable slowWriter = () -> {
            if (first.getAndSet(false)) {
                writerHeld.countDown();
                awaitUninterruptibly(releaseWriter);
            }
        };
        CallRecorder recorder = CallRecorder.start(file, openForWriting(file), RATE, queueFrames, slowWriter);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        short[] frame = new short[FRAME];
        caller.next(frame);
        recorder.caller(0, frame);
        assertThat(writerHeld.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue(); // the writer holds tick 0

        Thread feeder = Thread.ofPlatform().name("media").start(() -> {
            for (long tick = 1; tick < 100; tick++) {
                caller.next(frame);
                recorder.caller(tick, frame);
            }
        });
        assertThat(feeder.join(PATIENCE)).as("the feeding thread finished").isTrue();
        assertThat(recorder.droppedFrames()).isEqualTo(99 - queueFrames);

        releaseWriter.countDown();
        recorder.close();
        assertThat(recorder.framesWritten()).isEqualTo(1 + queueFrames);
        WavAudio audio = Wav.read(file);
        assertThat(audio.frames()).isEqualTo((1 + queueFrames) * FRAME);
        assertThat(audio.channel(0)).isEqualTo(tone(440, RATE, (1 + queueFrames) * FRAME));
        assertSizesInHeader(file);
    }

    @Test
    void closeIsIdempotentAndFramesAfterItAreIgnored() throws IOException {
        Path file = dir.resolve("closed.wav");
        CallRecorder recorder = CallRecorder.open(file, RATE);
        for (long tick = 0; tick < 10; tick++) {
            recorder.caller(tick, new ToneGenerator(440, RATE, AMPLITUDE).next(FRAME));
        }
        recorder.close();
        byte[] closed = Files.readAllBytes(file);

        recorder.close();
        recorder.caller(10, new short[FRAME]);
        recorder.assistant(10, new short[FRAME]);
        recorder.close();

        assertThat(Files.readAllBytes(file)).isEqualTo(closed);
        assertThat(Wav.read(file).frames()).isEqualTo(10 * FRAME);
        assertThat(recorder.framesWritten()).isEqualTo(10);
        assertThat(recorder.droppedFrames()).isZero();
    }

    @Test
    void aCallWithNoAudioGivesAnEmptyValidFile() throws IOException {
        Path file = dir.resolve("empty.wav");
        CallRecorder.open(file, RATE).close();

        assertThat(Wav.read(file).frames()).isZero();
        assertThat(Files.size(file)).isEqualTo(StereoWavFile.HEADER_BYTES);
        assertSizesInHeader(file);
    }

    @Test
    void aWriteErrorStopsTheRecordingButNotTheCall() throws IOException {
        Path file = dir.resolve("disk-full.wav");
        FailingChannel channel = new FailingChannel(openForWriting(file));
        CallRecorder recorder = CallRecorder.start(file, channel, RATE, CallRecorder.DEFAULT_QUEUE_FRAMES, () -> {});
        channel.failing.set(true);
        ToneGenerator caller = new ToneGenerator(440, RATE, AMPLITUDE);
        long tick = 0;
        for (; tick < 100; tick++) {
            recorder.caller(tick, caller.next(FRAME));
            recorder.assistant(tick, caller.next(FRAME));
        }
        await().atMost(PATIENCE).until(() -> channel.failedWrites.get() == 1);
        await().atMost(PATIENCE).until(() -> !channel.isOpen()); // the writer gave up and closed the file

        for (; tick < 200; tick++) { // the call goes on: feeding neither throws nor queues
            recorder.caller(tick, caller.next(FRAME));
        }
        recorder.close();
        recorder.close();

        assertThat(channel.failedWrites).hasValue(1);
        assertThat(recorder.droppedFrames()).isZero();
        assertThat(Files.size(file)).isEqualTo(StereoWavFile.HEADER_BYTES);
    }

    @Test
    void rejectsARateWithoutWholeFramesAndADirectoryItCannotCreate() throws IOException {
        assertThatThrownBy(() -> CallRecorder.open(dir.resolve("odd.wav"), 8001))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("odd.wav")).doesNotExist();

        Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThatThrownBy(() -> CallRecorder.open(dir.resolve("not-a-directory/call.wav"), RATE))
                .isInstanceOf(IOException.class);
    }

    // ---- helpers ----

    /** The tone at {@code hz} dominates the block: far more energy there than at {@code otherHz}, and most of it. */
    private static void assertTone(short[] samples, double hz, double otherHz, int rate) {
        double wanted = Goertzel.power(samples, 0, samples.length, hz, rate);
        double other = Goertzel.power(samples, 0, samples.length, otherHz, rate);
        assertThat(wanted).as("power at %s Hz", hz).isGreaterThan(1000 * other);
        assertThat(Goertzel.relativePower(samples, 0, samples.length, hz, rate)).isGreaterThan(0.9);
    }

    private static short[] tone(double hz, int rate, int samples) {
        return new ToneGenerator(hz, rate, AMPLITUDE).next(samples);
    }

    /** The RIFF size is the file length - 8, the data size the file length - 44. */
    private static void assertSizesInHeader(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(Integer.toUnsignedLong(header.getInt(4))).isEqualTo(bytes.length - 8L);
        assertThat(Integer.toUnsignedLong(header.getInt(40))).isEqualTo(bytes.length - 44L);
    }

    private static FileChannel openForWriting(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A channel whose writes fail, like a full disk's, once {@link #failing} is set. */
    private static final class FailingChannel implements SeekableByteChannel {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger failedWrites = new AtomicInteger();
        private final SeekableByteChannel delegate;

        FailingChannel(SeekableByteChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (failing.get()) {
                failedWrites.incrementAndGet();
                throw new IOException("No space left on device");
            }
            return delegate.write(src);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
