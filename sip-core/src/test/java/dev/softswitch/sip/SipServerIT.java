package dev.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.assistant.AssistantDirectory;
import dev.softswitch.rtp.MediaEngine;
import dev.softswitch.rtp.pacer.Pacer;
import dev.softswitch.rtp.pool.InMemoryPortPool;
import dev.softswitch.sip.call.CallFailure;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SIP server in-process on 127.0.0.1, driven by hand-written datagrams: the answers a caller gets when its INVITE
 * cannot become a call. Also proves the stack starts without log4j on the class path.
 */
class SipServerIT {

    private static final String PCMU = "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private Pacer pacer;
    private MediaEngine media;
    private SipServer server;

    private int start(CallAdmission admission, int rtpPairs) throws Exception {
        return start(admission, rtpPairs, AssistantDirectory.builtIns());
    }

    private int start(CallAdmission admission, int rtpPairs, AssistantDirectory assistants) throws Exception {
        return start(admission, rtpPairs, assistants, SipServerConfig.DEFAULT_MEDIA_TIMEOUT);
    }

    private int start(
            CallAdmission admission, int rtpPairs, AssistantDirectory assistants, java.time.Duration mediaTimeout)
            throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        int rtp = 52000 + 2 * (int) (Math.random() * 2000);
        pacer = new Pacer().start();
        media = new MediaEngine(
                InetAddress.getLoopbackAddress(), new InMemoryPortPool(rtp, rtp + 2 * rtpPairs - 1), 1, pacer);
        server = new SipServer(
                new SipServerConfig(
                        "127.0.0.1",
                        port,
                        java.util.Set.of("udp"),
                        "127.0.0.1",
                        SipServerConfig.DEFAULT_CODECS,
                        java.time.Duration.ZERO,
                        "softswitch-test",
                        mediaTimeout,
                        SipServerConfig.DEFAULT_HOLD_TIMEOUT),
                admission,
                assistants,
                media,
                Clock.systemUTC());
        server.start();
        return port;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdown(java.time.Duration.ofSeconds(1));
        }
        if (media != null) {
            media.close();
        }
        if (pacer != null) {
            pacer.close();
        }
    }

    @Test
    void optionsAnswers200WithAllowAcceptAndServer() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(client.request("OPTIONS", "echo", id(), "", "", "", ""));
            String response = client.finalResponse();
            assertThat(response)
                    .startsWith("SIP/2.0 200 OK")
                    .containsPattern("(?m)^Allow: .*INVITE")
                    .containsPattern("(?m)^Accept: application/sdp")
                    .containsPattern("(?m)^Supported: timer")
                    .containsPattern("(?m)^Server: softswitch-test");
        }
    }

    @Test
    void whileDrainingAProbeGets503WithRetryAfterButAnOptionsInACallStill200() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            server.drain();
            client.send(client.request("OPTIONS", "echo", id(), "", "", "", ""));
            assertThat(client.finalResponse())
                    .as("a balancer's OPTIONS probe takes the draining instance out")
                    .startsWith("SIP/2.0 503")
                    .containsPattern("(?m)^Retry-After: \\d+")
                    .contains("draining");
            client.send(client.request("OPTIONS", "echo", id(), "sometag", "", "", ""));
            assertThat(client.finalResponse())
                    .as("a keep-alive inside a call does not end the call")
                    .startsWith("SIP/2.0 200 OK");
            client.send(client.request("INVITE", "echo", id(), "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponse()).startsWith("SIP/2.0 503").containsPattern("(?m)^Retry-After: \\d+");
        }
    }

    @Test
    void aBodyThatIsNotSdpGets415WithAccept() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(client.request("INVITE", "echo", id(), "", "", "text/plain", "hello"));
            assertThat(client.finalResponse())
                    .startsWith("SIP/2.0 415")
                    .containsPattern("(?m)^Accept: application/sdp")
                    .contains("text/plain");
        }
    }

    @Test
    void anInviteWithoutOfferGets488SayingSo() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(client.request("INVITE", "echo", id(), "", "", "", ""));
            assertThat(client.finalResponse()).startsWith("SIP/2.0 488").contains("without an SDP offer");
        }
    }

    @Test
    void unreadableSdpGets488WithTheLineNamed() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(client.request(
                    "INVITE", "echo", id(), "", "", "application/sdp", RawSipClient.sdp("m=audio abc RTP/AVP 0\r\n")));
            String response = client.finalResponse();
            assertThat(response)
                    .startsWith("SIP/2.0 488")
                    .containsPattern("(?m)^Warning: 305 .*unreadable SDP: line 6");
            assertThat(media.pool().leased()).isZero();
        }
    }

    @Test
    void aRefusedCallerGets403WithTheReasonAndNoPortIsTaken() throws Exception {
        CallAdmission nobody =
                request -> new CallAdmission.Decision.Refuse(new CallFailure.Forbidden("not on the list"));
        try (RawSipClient client = new RawSipClient(start(nobody, 4))) {
            client.send(client.request("INVITE", "echo", id(), "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponse()).startsWith("SIP/2.0 403").contains("not on the list");
            assertThat(media.pool().leased()).isZero();
        }
    }

    @Test
    void whenEveryRtpPortIsTakenTheNextCallGets503WithRetryAfter() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 1))) {
            client.send(client.request("INVITE", "echo", id(), "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponse()).startsWith("SIP/2.0 200");
            client.send(client.request("INVITE", "echo", id(), "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            String second = client.finalResponse();
            while (second != null && second.startsWith("SIP/2.0 200")) {
                second = client.finalResponse(); // a retransmission of the first call's 200 (never ACKed here)
            }
            assertThat(second)
                    .startsWith("SIP/2.0 503")
                    .containsPattern("(?m)^Retry-After: \\d+")
                    .contains("no free RTP port");
        }
    }

    @Test
    void aReInviteForNoCallGets481() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(
                    client.request("INVITE", "echo", id(), "sometag", "", "application/sdp", RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponse()).startsWith("SIP/2.0 481");
        }
    }

    @Test
    void dtmfSentByInfoReachesTheAssistantAndOtherInfoBodiesGet415() throws Exception {
        java.util.concurrent.BlockingQueue<dev.softswitch.assistant.DtmfEvent> heard =
                new java.util.concurrent.LinkedBlockingQueue<>();
        dev.softswitch.assistant.Assistant listener = new dev.softswitch.assistant.Assistant() {
            @Override
            public String id() {
                return "keys";
            }

            @Override
            public void run(dev.softswitch.assistant.CallFacts call, dev.softswitch.assistant.MediaPort port)
                    throws InterruptedException {
                while (port.isOpen()) {
                    port.read(java.time.Duration.ofMillis(20));
                    dev.softswitch.assistant.DtmfEvent key = port.pollDtmf();
                    if (key != null) {
                        heard.add(key);
                    }
                }
            }
        };
        try (RawSipClient client =
                new RawSipClient(start(CallAdmission.demo(), 4, new AssistantDirectory(java.util.List.of(listener))))) {
            String callId = id();
            client.send(client.request("INVITE", "keys", callId, "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            String ok = client.finalResponse();
            assertThat(ok).startsWith("SIP/2.0 200");
            String toTag = ok.replaceAll("(?s).*\nTo: [^\r\n]*;tag=([^;\r\n]+).*", "$1");
            client.send(client.request("ACK", "keys", callId, toTag, "", "", ""));
            client.send(client.request(
                    "INFO", 2, "keys", callId, toTag, "", "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n"));
            assertThat(client.finalResponseTo("INFO")).startsWith("SIP/2.0 200");
            assertThat(heard.poll(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(new dev.softswitch.assistant.DtmfEvent(
                            '5', 160, dev.softswitch.assistant.DtmfEvent.Method.INFO));
            client.send(client.request("INFO", 3, "keys", callId, toTag, "", "application/media_control+xml", "<x/>"));
            assertThat(client.finalResponseTo("INFO"))
                    .startsWith("SIP/2.0 415")
                    .containsPattern("(?m)^Accept: .*application/dtmf-relay")
                    .containsPattern("(?m)^Accept: .*application/dtmf(,|\\s*$)");
            client.send(client.request("BYE", 4, "keys", callId, toTag, "", "", ""));
            assertThat(client.finalResponseTo("BYE")).startsWith("SIP/2.0 200");
        }
    }

    @Test
    void aCallerThatSendsNoRtpIsHungUpAfterTheMediaTimeout() throws Exception {
        try (RawSipClient client = new RawSipClient(
                start(CallAdmission.demo(), 4, AssistantDirectory.builtIns(), java.time.Duration.ofSeconds(1)))) {
            String callId = id();
            client.send(client.request("INVITE", "echo", callId, "", "", "application/sdp", RawSipClient.sdp(PCMU)));
            String ok = client.finalResponse();
            assertThat(ok).startsWith("SIP/2.0 200");
            String toTag = ok.replaceAll("(?s).*\nTo: [^\r\n]*;tag=([^;\r\n]+).*", "$1");
            client.send(client.request("ACK", "echo", callId, toTag, "", "", ""));
            long sent = System.nanoTime();
            String bye = client.receive();
            while (bye != null && !bye.startsWith("BYE ")) {
                bye = client.receive(); // a retransmitted 200 before our ACK was seen
            }
            assertThat(bye).as("our BYE after 1 s without RTP").startsWith("BYE ");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - sent))
                    .isBetween(java.time.Duration.ofMillis(900), java.time.Duration.ofSeconds(4));
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        assertThat(server.callResults()).containsEntry("media_timeout", 1L);
                        assertThat(media.pool().leased()).isZero();
                    });
        }
    }

    @Test
    void sessionTimersAreHonouredAndTooShortAnIntervalGets422WithMinSe() throws Exception {
        try (RawSipClient client = new RawSipClient(start(CallAdmission.demo(), 4))) {
            client.send(client.request(
                    "INVITE",
                    "echo",
                    id(),
                    "",
                    "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\n",
                    "application/sdp",
                    RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponseTo("INVITE"))
                    .startsWith("SIP/2.0 200")
                    .containsPattern("(?m)^Session-Expires: 1800;refresher=uac")
                    .containsPattern("(?m)^Require: timer");

            client.send(client.request(
                    "INVITE",
                    "echo",
                    id(),
                    "",
                    "Require: timer\r\nSupported: timer\r\nSession-Expires: 900\r\n",
                    "application/sdp",
                    RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponseTo("INVITE"))
                    .as("Require: timer is no longer refused")
                    .startsWith("SIP/2.0 200")
                    .containsPattern("(?m)^Session-Expires: 900;refresher=uac");

            client.send(client.request(
                    "INVITE",
                    "echo",
                    id(),
                    "",
                    "Supported: timer\r\nSession-Expires: 30\r\n",
                    "application/sdp",
                    RawSipClient.sdp(PCMU)));
            assertThat(client.finalResponseTo("INVITE"))
                    .startsWith("SIP/2.0 422")
                    .containsPattern("(?m)^Min-SE: 90");
        }
    }

    private static String id() {
        return UUID.randomUUID() + "@test";
    }
}
