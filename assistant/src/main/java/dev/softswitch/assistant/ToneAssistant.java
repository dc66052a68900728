package dev.softswitch.assistant;

import dev.softswitch.codecs.ToneGenerator;

/** Plays a steady tone (440 Hz by default) until the caller hangs up; caller audio is ignored. */
public final class ToneAssistant implements Assistant {

    private final String id;
    private final double frequencyHz;
    private final double amplitude;

    public ToneAssistant() {
        this("tone", 440.0, 0.3);
    }

    public ToneAssistant(String id, double frequencyHz, double amplitude) {
        if (frequencyHz <= 0 || amplitude <= 0 || amplitude > 1) {
            throw new IllegalArgumentException("tone needs a frequency > 0 and an amplitude in (0, 1]");
        }
        this.id = id;
        this.frequencyHz = frequencyHz;
        this.amplitude = amplitude;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void run(CallFacts call, MediaPort port) throws InterruptedException {
        ToneGenerator tone = new ToneGenerator(frequencyHz, call.sampleRate(), amplitude);
        while (port.isOpen()) {
            short[] frame = new short[call.frameSamples()];
            tone.next(frame);
            port.write(frame);
        }
    }
}
