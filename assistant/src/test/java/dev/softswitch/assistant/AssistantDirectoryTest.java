package dev.softswitch.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AssistantDirectoryTest {

    @Test
    void builtInsAreEchoAndTone() {
        AssistantDirectory builtIns = AssistantDirectory.builtIns();

        assertEquals(Set.of("echo", "tone"), builtIns.ids());
        assertInstanceOf(EchoAssistant.class, builtIns.find("echo").orElseThrow());
        assertInstanceOf(ToneAssistant.class, builtIns.find("tone").orElseThrow());
    }

    @Test
    void anUnknownIdFindsNothing() {
        AssistantDirectory builtIns = AssistantDirectory.builtIns();

        assertEquals(Optional.empty(), builtIns.find("sales"));
        assertEquals(Optional.empty(), builtIns.find("ECHO"), "ids are matched exactly");
    }

    @Test
    void twoAssistantsWithTheSameIdAreRejected() {
        List<Assistant> assistants =
                List.of(new ToneAssistant("beep", 1000, 0.5), new EchoAssistant(), new ToneAssistant("beep", 440, 0.3));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new AssistantDirectory(assistants));

        assertEquals("two assistants share the id 'beep'", e.getMessage());
    }

    @Test
    void configuredAssistantsAreFoundByTheirIds() {
        ToneAssistant beep = new ToneAssistant("beep", 1000, 0.5);
        AssistantDirectory directory = new AssistantDirectory(List.of(new EchoAssistant(), beep));

        assertEquals(Set.of("echo", "beep"), directory.ids());
        assertEquals(Optional.of(beep), directory.find("beep"));
    }

    @Test
    void theDirectoryCannotBeChangedFromOutside() {
        AssistantDirectory builtIns = AssistantDirectory.builtIns();

        assertThrows(UnsupportedOperationException.class, () -> builtIns.ids().remove("echo"));
        assertTrue(builtIns.find("echo").isPresent());
    }
}
