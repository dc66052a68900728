package dev.softswitch.rtp.packet;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One Sender Report or Receiver Report of a compound RTCP packet (RFC 3550 6.4.1, 6.4.2).
 *
 * @param ssrc the reporter's own SSRC
 * @param sender its sender information, present on a Sender Report only
 * @param blocks its reception report blocks, one per source it heard
 */
public record RtcpReport(long ssrc, @Nullable SenderInfo sender, List<ReportBlock> blocks) {

    public RtcpReport {
        Objects.requireNonNull(blocks, "blocks");
        blocks = List.copyOf(blocks);
    }

    public boolean isSenderReport() {
        return sender != null;
    }

    /** The block about {@code source}, or {@code null} when the report has none. */
    public @Nullable ReportBlock blockAbout(long source) {
        for (ReportBlock b : blocks) {
            if (b.ssrc() == source) {
                return b;
            }
        }
        return null;
    }
}
