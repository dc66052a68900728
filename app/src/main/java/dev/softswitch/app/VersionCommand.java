package dev.softswitch.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code softswitch version}: the build's version and the Java running it. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {

    @Override
    public void run() {
        for (String line : new Provider().getVersion()) {
            System.out.println(line);
        }
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "softswitch " + (version != null ? version : "(development build)"),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
