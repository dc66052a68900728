package dev.softswitch.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.softswitch.sip.stack.EarlyAck;
import dev.softswitch.sip.stack.StackProperties;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EarlyAck} on a real stack: a 2xx whose ACK the dialog never noted is retransmitted after T1; once settled it
 * is not. (The race it repairs, an ACK handled between the stack's send of the 2xx and the start of its retransmit
 * timer, cannot be forced from outside; this checks what the repair does to the dialog.)
 */
class EarlyAckIT {

    private static final AtomicInteger STACKS = new AtomicInteger();

    private final BlockingQueue<ServerTransaction> invites = new LinkedBlockingQueue<>();
    private SipStack stack;
    private SipProvider provider;
    private int port;

    @BeforeEach
    void start() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        stack = factory.createSipStack(StackProperties.of("early-ack-test-" + STACKS.incrementAndGet(), 2));
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP);
        provider = stack.createSipProvider(udp);
        provider.addSipListener(new InviteCollector());
        stack.start();
    }

    @AfterEach
    void stop() {
        stack.stop();
    }

    @Test
    void anUnacknowledged200IsRetransmittedAfterT1() throws Exception {
        try (RawSipClient client = new RawSipClient(port)) {
            answer(client);
            assertThat(client.receive()).as("the 200 again, T1 later").startsWith("SIP/2.0 200");
        }
    }

    @Test
    void aSettledAckEndsTheRetransmissions() throws Exception {
        try (RawSipClient client = new RawSipClient(port)) {
            ServerTransaction tx = answer(client);
            EarlyAck.settle(tx.getDialog(), 1);
            assertThat(tx.getDialog().getState().toString()).isEqualTo("Confirmed Dialog");
            // T1 is 500 ms and doubles: a retransmission would come at 0.5 s and again at 1.5 s.
            client.timeout(2000);
            assertThat(client.receive()).as("no 200 after the ACK was settled").isNull();
        }
    }

    @Test
    void settlingTwiceOrWithoutADialogChangesNothing() throws Exception {
        EarlyAck.settle(null, 1);
        try (RawSipClient client = new RawSipClient(port)) {
            ServerTransaction tx = answer(client);
            EarlyAck.settle(tx.getDialog(), 1);
            EarlyAck.settle(tx.getDialog(), 1);
            client.timeout(2000);
            assertThat(client.receive()).isNull();
        }
    }

    /** Sends an INVITE, answers it with 200 from this thread (as a call's own thread does) and reads the 200. */
    private ServerTransaction answer(RawSipClient client) throws Exception {
        client.send(client.request(
                "INVITE", "echo", "early-ack-" + System.nanoTime(), "", "", "application/sdp", RawSipClient.sdp("")));
        ServerTransaction tx = invites.poll(5, TimeUnit.SECONDS);
        assertThat(tx).as("the INVITE reached the listener").isNotNull();
        Response ok = SipFactory.getInstance().createMessageFactory().createResponse(200, tx.getRequest());
        ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag("uas1");
        ok.addHeader(SipFactory.getInstance()
                .createHeaderFactory()
                .createContactHeader(SipFactory.getInstance()
                        .createAddressFactory()
                        .createAddress("<sip:echo@127.0.0.1:" + port + ">")));
        tx.sendResponse(ok);
        assertThat(client.finalResponse()).startsWith("SIP/2.0 200");
        return tx;
    }

    private final class InviteCollector implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
            if (event.getRequest().getMethod().equals(Request.INVITE)) {
                try {
                    invites.add(provider.getNewServerTransaction(event.getRequest()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {}

        @Override
        public void processTimeout(TimeoutEvent event) {}

        @Override
        public void processIOException(IOExceptionEvent event) {}

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {}

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {}
    }
}
