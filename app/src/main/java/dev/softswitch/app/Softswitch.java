package dev.softswitch.app;

import dev.softswitch.app.http.HttpServer;
import dev.softswitch.assistant.Assistant;
import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.assistant.EchoAssistant;
import dev.softswitch.assistant.ToneAssistant;
import dev.softswitch.config.AssistantConfig;
import dev.softswitch.config.LoadedConfig;
import dev.softswitch.config.SoftswitchConfig;
import dev.softswitch.config.TrunkConfig;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import dev.softswitch.sdp.FormatSpec;
import dev.softswitch.sip.CallAdmission;
import dev.softswitch.sip.SipServer;
import dev.softswitch.sip.SipServerConfig;
import dev.softswitch.sip.SipStartException;
import dev.softswitch.sip.admission.CallLimiter;
import dev.softswitch.sip.admission.MiddlewareChain;
import dev.softswitch.sip.auth.DigestAuthenticator;
import dev.softswitch.sip.auth.NonceService;
import dev.softswitch.sip.registrar.Registrar;
import dev.softswitch.sip.registrar.Registration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running softswitch: media engine, SIP server and HTTP port, started together and stopped in reverse. */
public final class Softswitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Softswitch.class);
    /** The realm of our digest challenges. */
    static final String DIGEST_REALM = "softswitch";

    private final Pacer pacer;
    private final MediaEngine media;
    private final SipServer sip;
    private final @Nullable HttpServer http;

    private Softswitch(Pacer pacer, MediaEngine media, SipServer sip, @Nullable HttpServer http) {
        this.pacer = pacer;
        this.media = media;
        this.sip = sip;
        this.http = http;
    }

    /**
     * Starts everything, or nothing: a part that fails to start stops the parts already running.
     *
     * @throws StartupException with a message fit for the operator
     */
    public static Softswitch start(ServeSettings settings) throws StartupException {
        return start(settings, null);
    }

    /**
     * Starts with a configuration: its assistants, codecs, transports and the admission chain (API keys, PBX users
     * with digest, trunks by address). Without one: the demo (echo and tone, loopback callers only).
     */
    public static Softswitch start(ServeSettings settings, @Nullable LoadedConfig loaded) throws StartupException {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw new StartupException("--bind " + settings.bind() + " is not an address of this host");
        }
        Pacer pacer = new Pacer().start();
        MediaEngine media = null;
        SipServer sip = null;
        try {
            media = new MediaEngine(
                    bind,
                    new InMemoryPortPool(settings.rtpLow(), settings.rtpHigh()),
                    Math.max(1, Runtime.getRuntime().availableProcessors()),
                    pacer);
            SipServerConfig sipConfig = SipServerConfig.defaults(
                            settings.bind(), settings.sipPort(), settings.advertise())
                    .withAnswerDelay(settings.answerDelay())
                    .withMediaTimeouts(settings.mediaTimeout(), settings.holdTimeout());
            CallAdmission admission = CallAdmission.demo();
            CallLimiter limiter = CallLimiter.unlimited();
            Registration registration = null;
            AssistantDirectory assistants = AssistantDirectory.builtIns();
            if (loaded != null) {
                SoftswitchConfig config = loaded.config();
                sipConfig = new SipServerConfig(
                        sipConfig.bindAddress(),
                        sipConfig.port(),
                        java.util.Set.copyOf(config.listen().transports()),
                        sipConfig.advertisedAddress(),
                        config.codecs().stream().map(Softswitch::formatOf).toList(),
                        sipConfig.answerDelay(),
                        sipConfig.userAgent(),
                        sipConfig.mediaTimeout(),
                        sipConfig.holdTimeout());
                assistants = new AssistantDirectory(config.assistants().stream()
                        .map(Softswitch::assistantOf)
                        .toList());
                limiter = new CallLimiter(
                        Clock.systemUTC(),
                        config.limits(),
                        config.trunks().stream()
                                .collect(java.util.stream.Collectors.toMap(TrunkConfig::name, TrunkConfig::limits)));
                DigestAuthenticator digest = new DigestAuthenticator(new NonceService(DIGEST_REALM, Clock.systemUTC()));
                admission = MiddlewareChain.forConfig(config, loaded.vault(), digest);
                if (!config.pbxUsers().isEmpty()) {
                    registration = new Registration(new Registrar(), digest, user -> config.pbxUser(user)
                            .map(pbx -> pbx.password().reveal()));
                }
            }
            sip = new SipServer(sipConfig, admission, limiter, registration, assistants, media, Clock.systemUTC());
            sip.start();
            HttpServer http = null;
            if (settings.httpPort() > 0) {
                SipServer s = sip;
                http = HttpServer.start(bind, settings.httpPort(), () -> s.activeCalls());
            }
            log.info(
                    "softswitch ready: call sip:echo@{}:{} or sip:tone@{}:{}",
                    settings.advertise(),
                    settings.sipPort(),
                    settings.advertise(),
                    settings.sipPort());
            return new Softswitch(pacer, media, sip, http);
        } catch (SipStartException e) {
            stopQuietly(sip, media, pacer);
            throw new StartupException(
                    e.getMessage() + " (is another SIP server running on that port? try --sip-port)");
        } catch (IllegalArgumentException e) {
            stopQuietly(sip, media, pacer);
            throw new StartupException(e.getMessage());
        } catch (HttpServer.BindException e) {
            stopQuietly(sip, media, pacer);
            throw new StartupException(e.getMessage() + " (try --http-port)");
        }
    }

    public SipServer sip() {
        return sip;
    }

    public MediaEngine media() {
        return media;
    }

    public @Nullable HttpServer http() {
        return http;
    }

    /** Ends calls in progress with BYE (waiting up to {@code grace}), then stops every part. */
    public void stop(Duration grace) {
        log.info("stopping: {} calls in progress", sip.activeCalls());
        if (http != null) {
            http.close();
        }
        sip.shutdown(grace);
        media.close();
        pacer.close();
        log.info("stopped");
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(2));
    }

    private static Assistant assistantOf(AssistantConfig a) {
        return switch (a.kind()) {
            case ECHO -> new EchoAssistant(a.id());
            case TONE -> new ToneAssistant(a.id(), 440.0, 0.3);
        };
    }

    private static FormatSpec formatOf(String codec) {
        return switch (codec) {
            case "PCMU" -> FormatSpec.PCMU;
            case "PCMA" -> FormatSpec.PCMA;
            case "G722" -> FormatSpec.G722;
            default -> throw new IllegalArgumentException("codec " + codec + " has no implementation");
        };
    }

    private static void stopQuietly(@Nullable SipServer sip, @Nullable MediaEngine media, Pacer pacer) {
        if (sip != null) {
            sip.shutdown(Duration.ZERO);
        }
        if (media != null) {
            media.close();
        }
        pacer.close();
    }
}
