package dev.softswitch.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MainTest {

    @ParameterizedTest(name = "softswitch {0} --help")
    @ValueSource(strings = {"serve", "dial", "check-config", "version"})
    void everyCommandExplainsItselfWithHelp(String command) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));

        int status = cli.execute(command, "--help");

        assertThat(status).as(out.toString()).isZero();
        assertThat(out.toString()).contains("Usage: softswitch " + command).contains("--help");
    }
}
