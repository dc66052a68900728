package dev.softswitch.rtp.packet;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a compound RTCP packet said (RFC 3550 6.1): its SR and RR packets in order, the CNAMEs its SDES items gave, and
 * the sources it said BYE for. Packet types we do not read (APP, RTPFB, XR, ...) are counted in {@code skipped}.
 *
 * @param reports Sender and Receiver Reports, in the order they came
 * @param cnames SDES CNAME items by SSRC
 * @param bye sources that left (BYE)
 * @param skipped packets of other types that were passed over
 */
public record RtcpCompound(List<RtcpReport> reports, Map<Long, String> cnames, List<Long> bye, int skipped) {

    public RtcpCompound {
        Objects.requireNonNull(reports, "reports");
        Objects.requireNonNull(cnames, "cnames");
        Objects.requireNonNull(bye, "bye");
        reports = List.copyOf(reports);
        cnames = Map.copyOf(cnames);
        bye = List.copyOf(bye);
    }
}
