package dev.softswitch.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.softswitch.config.ConfigLoader;
import dev.softswitch.config.ListenConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SecretResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running softswitch on 127.0.0.1 with every provider configured (Twilio, Telnyx, Plivo, Vonage, Exotel pointed at
 * a local REST API that records what it gets; AudioSocket on a port of its own), the echo assistant answering, and the
 * helpers the provider integration tests share. Each test gets its own softswitch.
 */
abstract class ProviderItBase {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH = "it-twilio-auth-token";
    static final String KEY = "it-key-0123456789abcdef";
    static final Duration LIMIT = Duration.ofSeconds(15);
    static final Pattern TOKEN = Pattern.compile("<Parameter name=\"token\" value=\"([A-Za-z0-9_-]+)\"/>");

    final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    Softswitch softswitch;
    FakeProviderApi api;
    String base;
    CallRecordsFile records;
    Path configFile;
    int audioSocketPort;

    @BeforeEach
    void start() throws Exception {
        api = new FakeProviderApi();
        int rtp = FreePorts.rtpRangeStart();
        int httpPort = FreePorts.udpAndTcp();
        base = "http://127.0.0.1:" + httpPort;
        String yaml = """
                listen:
                  bind: 127.0.0.1
                  sip_port: %d
                  http_port: %d
                rtp:
                  ports: %d-%d
                assistants:
                  - { id: echo, kind: echo }
                api:
                  keys:
                    - { name: it, key: "${file:%s}" }
                providers:
                  public_url: %s
                %s
                  twilio:
                    account_sid: %s
                    auth_token: ${file:%s}
                    caller_id: "+14155550199"
                    routes: { "+15551230000": echo }
                    api_base_url: %s
                  audiosocket:
                    port: %d
                    routes: { default: echo }
                  telnyx:
                    public_key: %s
                    api_key: ${file:%s}
                    connection_id: "1494404757140276705"
                    caller_id: "+18005550100"
                    routes: { default: echo }
                    api_base_url: %s
                  plivo:
                    auth_id: MAXXXXXXXXXXXXXXXXXX
                    auth_token: ${file:%s}
                    routes: { default: echo }
                    api_base_url: %s
                  vonage:
                    application_id: aaaaaaaa-bbbb-cccc-dddd-0123456789ab
                    signature_secret: ${file:%s}
                    private_key: ${file:%s}
                    routes: { "447700900000": echo }
                    api_base_url: %s
                  exotel:
                    account_sid: acme1
                    api_key: KEY1
                    api_token: ${file:%s}
                    routes: { default: echo }
                    api_base_url: %s
                """.formatted(
                        FreePorts.udpAndTcp(),
                        httpPort,
                        rtp,
                        rtp + 399,
                        secret("api-key", KEY),
                        base,
                        providerSettings(),
                        SID,
                        secret("twilio-auth-token", AUTH),
                        api.baseUrl(),
                        audioSocketPort = FreePorts.udpAndTcp(),
                        TELNYX.publicKeyBase64(),
                        secret("telnyx-api-key", "KEY-telnyx"),
                        api.baseUrl(),
                        secret("plivo-auth-token", PLIVO_TOKEN),
                        api.baseUrl(),
                        secret("vonage-signature-secret", VONAGE_SECRET),
                        secret("vonage-private-key", pem(VONAGE_KEY)),
                        api.baseUrl(),
                        secret("exotel-api-token", "TOKEN1"),
                        api.baseUrl());
        yaml += "records: { calls: %s, recordings: %s }\n"
                .formatted(dir.resolve("calls.jsonl"), dir.resolve("recordings"));
        Path file = dir.resolve("softswitch.yaml");
        configFile = file;
        Files.writeString(file, yaml);
        LoadedConfig config = ConfigLoader.load(file, SecretResolver.withEnvironment(Map.of()));
        ListenConfig listen = config.config().listen();
        softswitch = Softswitch.start(
                new ServeSettings(
                        listen.bind(),
                        listen.advertise(),
                        listen.sipPort(),
                        rtp,
                        rtp + 399,
                        listen.httpPort(),
                        Duration.ZERO,
                        Duration.ofSeconds(30),
                        dir.resolve("calls.jsonl"),
                        dir.resolve("recordings")),
                config);
        records = new CallRecordsFile(dir.resolve("calls.jsonl"));
    }

    /** More keys of the {@code providers:} section, indented by two spaces (e.g. {@code "  stall_timeout: 3s"}). */
    String providerSettings() {
        return "";
    }

    @AfterEach
    void stop() {
        if (softswitch != null) {
            softswitch.close();
        }
        if (api != null) {
            api.close();
        }
    }

    static final TestKeys TELNYX = TestKeys.ed25519();
    static final String PLIVO_TOKEN = "it-plivo-auth-token";
    static final String VONAGE_SECRET = "it-vonage-signature-secret-0123456789";
    /** The Vonage application's key pair, made for this run: its private half signs our REST requests (RS256). */
    static final KeyPair VONAGE_KEY = rsa();

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A private key as Vonage's dashboard hands it out: PKCS#8 PEM. */
    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** A secret in a file (as ${file:...}), so that {@code dial}, which reads the real environment, finds it too. */
    Path secret(String name, String value) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), value);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    JsonNode call(String id) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/v1/calls/" + id))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(r.body());
    }
}
