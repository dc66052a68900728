package dev.softswitch.assistant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The assistants a softswitch can route calls to, by id. Immutable. */
public final class AssistantDirectory {

    private final Map<String, Assistant> byId;

    public AssistantDirectory(List<Assistant> assistants) {
        Map<String, Assistant> map = new LinkedHashMap<>();
        for (Assistant a : assistants) {
            if (map.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("two assistants share the id '" + a.id() + "'");
            }
        }
        this.byId = Map.copyOf(map);
    }

    /** The built-in assistants: {@code echo} returns the caller's audio, {@code tone} plays 440 Hz. */
    public static AssistantDirectory builtIns() {
        return new AssistantDirectory(List.of(new EchoAssistant(), new ToneAssistant()));
    }

    public Optional<Assistant> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public Set<String> ids() {
        return byId.keySet();
    }
}
