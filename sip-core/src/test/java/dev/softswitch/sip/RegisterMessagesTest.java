package dev.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.config.Secret;
import dev.softswitch.sip.auth.DigestAlgorithm;
import dev.softswitch.sip.auth.DigestClient;
import dev.softswitch.sip.auth.DigestCredentials;
import dev.softswitch.sip.auth.DigestResponse;
import dev.softswitch.sip.uac.RegistrationAction.DigestAnswer;
import dev.softswitch.sip.uac.RegistrationReply;
import dev.softswitch.sip.uac.TrunkRegistration;
import java.time.Duration;
import javax.sip.SipFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REGISTERs we send to carriers, header by header, and what we read from their answers. No sockets. */
class RegisterMessagesTest {

    private static final TrunkRegistration PLAIN = new TrunkRegistration(
            "carrier",
            "sip.carrier.example",
            null,
            "udp",
            "acme",
            Secret.of("s3cret"),
            null,
            null,
            Duration.ofHours(1));

    private static final TrunkRegistration TCP_VIA_PROXY = new TrunkRegistration(
            "carrier",
            "10.0.0.1",
            5080,
            "tcp",
            "acme",
            Secret.of("s3cret"),
            "proxy.carrier.example",
            5061,
            Duration.ofMinutes(10));

    private SipMessages sip;
    private RegisterMessages messages;

    @BeforeEach
    void factories() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        SipServerConfig config = SipServerConfig.defaults("192.0.2.1", 5070, "192.0.2.1");
        sip = new SipMessages(
                factory.createMessageFactory(), factory.createHeaderFactory(), factory.createAddressFactory(), config);
        messages = new RegisterMessages(sip, config);
    }

    @Test
    void aRegisterNamesTheRegistrarOurAddressOfRecordAndOurContact() throws Exception {
        Request r = messages.register(PLAIN, "reg-1@softswitch", "t4g", 7, 3600, null);
        assertThat(r.getMethod()).isEqualTo(Request.REGISTER);
        assertThat(r.getRequestURI().toString()).isEqualTo("sip:sip.carrier.example");
        FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        assertThat(from.getAddress().getURI().toString()).isEqualTo("sip:acme@sip.carrier.example");
        assertThat(from.getTag()).isEqualTo("t4g");
        assertThat(to.getAddress().getURI().toString()).isEqualTo("sip:acme@sip.carrier.example");
        assertThat(to.getTag()).isNull();
        assertThat(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId()).isEqualTo("reg-1@softswitch");
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        assertThat(cseq.getSeqNumber()).isEqualTo(7);
        assertThat(cseq.getMethod()).isEqualTo(Request.REGISTER);
        ContactHeader contact = (ContactHeader) r.getHeader(ContactHeader.NAME);
        assertThat(contact.getAddress().getURI().toString()).isEqualTo("sip:acme@192.0.2.1:5070");
        assertThat(((ExpiresHeader) r.getHeader(ExpiresHeader.NAME)).getExpires())
                .isEqualTo(3600);
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        assertThat(via.getTransport()).isEqualToIgnoringCase("udp");
        assertThat(via.getBranch()).startsWith("z9hG4bK");
        assertThat(r.getHeader("User-Agent")).isNotNull();
        assertThat(r.getHeader("Route")).isNull();
        assertThat(r.getHeader("Authorization")).isNull();
        assertThat(r.getHeader("Max-Forwards").toString()).contains("70");
    }

    @Test
    void overTcpThroughAProxyTheTransportIsEverywhereAndTheProxyIsALooseRoute() throws Exception {
        Request r = messages.register(TCP_VIA_PROXY, "c", "t", 1, 0, null);
        assertThat(r.getRequestURI().toString()).isEqualTo("sip:10.0.0.1:5080;transport=tcp");
        assertThat(((ToHeader) r.getHeader(ToHeader.NAME)).getAddress().getURI().toString())
                .isEqualTo("sip:acme@10.0.0.1");
        assertThat(((ContactHeader) r.getHeader(ContactHeader.NAME))
                        .getAddress()
                        .getURI()
                        .toString())
                .isEqualTo("sip:acme@192.0.2.1:5070;transport=tcp");
        assertThat(((ViaHeader) r.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tcp");
        assertThat(r.getHeader("Route").toString()).contains("<sip:proxy.carrier.example:5061;lr;transport=tcp>");
        assertThat(((ExpiresHeader) r.getHeader(ExpiresHeader.NAME)).getExpires())
                .as("removal")
                .isZero();
    }

    @Test
    void anIpv6RegistrarIsBracketed() throws Exception {
        TrunkRegistration v6 = new TrunkRegistration(
                "v6", "2001:db8::1", 5060, "udp", "acme", Secret.of("pw"), null, null, Duration.ofHours(1));
        assertThat(v6.registrarUri()).isEqualTo("sip:[2001:db8::1]:5060");
        Request r = messages.register(v6, "c", "t", 1, 3600, null);
        assertThat(r.getRequestURI().toString()).isEqualTo("sip:[2001:db8::1]:5060");
    }

    @Test
    void theCredentialsAnswerTheChallengeForTheRequestUriAndHideThePassword() throws Exception {
        var challenge = new DigestClient.Challenge("carrier.test", "n0nce", "op", DigestAlgorithm.MD5, true, false);
        Request r = messages.register(PLAIN, "c", "t", 2, 3600, new DigestAnswer(challenge, false, 3, "cn0nce"));
        String value = SipRequests.headerValue(r, "Authorization");
        assertThat(value).isNotNull();
        DigestCredentials sent = DigestCredentials.parse(value);
        assertThat(sent.username()).isEqualTo("acme");
        assertThat(sent.uri()).isEqualTo("sip:sip.carrier.example");
        assertThat(sent.nc()).isEqualTo("00000003");
        assertThat(sent.response()).isEqualTo(DigestResponse.compute(sent, Request.REGISTER, "s3cret"));
        assertThat(r.toString()).doesNotContain("s3cret");

        Request proxied = messages.register(PLAIN, "c", "t", 3, 3600, new DigestAnswer(challenge, true, 1, "cn0nce"));
        assertThat(proxied.getHeader("Proxy-Authorization")).isNotNull();
        assertThat(proxied.getHeader("Authorization")).isNull();
    }

    @Test
    void theGrantIsReadFromOurContactAmongOthers() throws Exception {
        Request r = messages.register(PLAIN, "c", "t", 1, 3600, null);
        Response ok = sip.response(200, r, "x");
        sip.addHeader(ok, "Contact", "<sip:acme@192.0.2.99:5060>;expires=3000");
        sip.addHeader(ok, "Contact", "<sip:acme@192.0.2.1:5070>;expires=120");
        sip.addHeader(ok, "Expires", "600");
        RegistrationReply reply = messages.read(ok, PLAIN);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contactExpires()).isEqualTo(120);
        assertThat(reply.headerExpires()).isEqualTo(600);

        Response notOurs = sip.response(200, r, "x");
        sip.addHeader(notOurs, "Contact", "<sip:acme@192.0.2.99:5060>;expires=3000");
        assertThat(messages.read(notOurs, PLAIN).contactExpires()).isEqualTo(-1);
        assertThat(messages.read(notOurs, PLAIN).headerExpires()).isEqualTo(-1);
    }

    @Test
    void intervalTooBriefChallengesAndRetryAfterAreRead() throws Exception {
        Request r = messages.register(PLAIN, "c", "t", 1, 3600, null);
        Response brief = sip.response(423, r, "x");
        sip.addHeader(brief, "Min-Expires", "120");
        assertThat(messages.read(brief, PLAIN).minExpires()).isEqualTo(120);

        Response challenge = sip.response(401, r, "x");
        sip.addHeader(
                challenge,
                "WWW-Authenticate",
                "Digest realm=\"carrier.test\", nonce=\"abc\", algorithm=MD5, qop=\"auth\", stale=true");
        RegistrationReply read = messages.read(challenge, PLAIN);
        assertThat(read.challenge()).isNotNull();
        assertThat(read.challenge().nonce()).isEqualTo("abc");
        assertThat(read.challenge().stale()).isTrue();

        Response proxy = sip.response(407, r, "x");
        sip.addHeader(proxy, "Proxy-Authenticate", "Digest realm=\"p\", nonce=\"def\"");
        assertThat(messages.read(proxy, PLAIN).challenge().nonce()).isEqualTo("def");

        Response busy = sip.response(503, r, "x");
        sip.addHeader(busy, "Retry-After", "90");
        RegistrationReply unavailable = messages.read(busy, PLAIN);
        assertThat(unavailable.retryAfter()).isEqualTo(90);
        assertThat(unavailable.challenge()).isNull();
        assertThat(unavailable.reason()).isEqualToIgnoringCase("Service Unavailable");
    }
}
