package dev.softswitch.bridge.assistant;

import java.util.ArrayList;
import java.util.List;

/** What a dialect asked of its call, in order, for tests. */
public final class RecordingActions implements BotActions {

    public final List<String> log = new ArrayList<>();
    public final List<short[]> audio = new ArrayList<>();

    @Override
    public void play(short[] samples) {
        audio.add(samples);
        log.add("play " + samples.length);
    }

    @Override
    public void mark(String name) {
        log.add("mark " + name);
    }

    @Override
    public void clear() {
        log.add("clear");
    }

    @Override
    public void hangup(String reason) {
        log.add("hangup " + reason);
    }

    @Override
    public void sendDigits(String digits) {
        log.add("dtmf " + digits);
    }

    @Override
    public void reply(String message) {
        log.add("reply " + message);
    }

    @Override
    public void transfer(String target) {
        log.add("transfer " + target);
    }
}
