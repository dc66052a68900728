package dev.softswitch.config.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The little of DER (ITU-T X.690) that reading private keys needs: walking tag-length-value elements, reading an
 * object identifier, and wrapping a PKCS#1 or SEC1 key into PKCS#8 (RFC 5208) so that the JDK's key factories take it.
 */
final class Der {

    static final int SEQUENCE = 0x30;
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    /** {@code [0] EXPLICIT}: SEC1's curve parameters. */
    static final int CONTEXT_0 = 0xa0;

    /** rsaEncryption (RFC 8017 A.1). */
    static final String RSA = "1.2.840.113549.1.1.1";
    /** id-RSASSA-PSS (RFC 8017 A.2.3). */
    static final String RSA_PSS = "1.2.840.113549.1.1.10";
    /** id-ecPublicKey (RFC 5480 2.1.1). */
    static final String EC = "1.2.840.10045.2.1";
    /** id-Ed25519 and id-Ed448 (RFC 8410 3). */
    static final String ED25519 = "1.3.101.112";

    static final String ED448 = "1.3.101.113";

    private Der() {}

    /** One element: its tag and where its content lies in the buffer. */
    record Element(int tag, int start, int end) {

        byte[] content(byte[] der) {
            return Arrays.copyOfRange(der, start, end);
        }
    }

    /** The element at {@code offset}, bounded by {@code limit}. */
    static Element read(byte[] der, int offset, int limit) throws DerException {
        if (offset + 2 > limit) {
            throw new DerException("truncated");
        }
        int tag = der[offset] & 0xff;
        int length = der[offset + 1] & 0xff;
        int at = offset + 2;
        if (length > 0x80) {
            int bytes = length - 0x80;
            if (bytes > 4 || at + bytes > limit) {
                throw new DerException("bad length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[at++] & 0xff);
            }
        } else if (length == 0x80) {
            throw new DerException("indefinite length");
        }
        if (length < 0 || at + length > limit) {
            throw new DerException("truncated");
        }
        return new Element(tag, at, at + length);
    }

    /** The elements inside a constructed element, in order. */
    static java.util.List<Element> children(byte[] der, Element parent) throws DerException {
        java.util.List<Element> out = new java.util.ArrayList<>();
        int at = parent.start();
        while (at < parent.end()) {
            Element child = read(der, at, parent.end());
            out.add(child);
            at = child.end();
        }
        return out;
    }

    /** The dotted form of an object identifier's content. */
    static String oid(byte[] der, Element element) throws DerException {
        if (element.tag() != OID || element.end() == element.start()) {
            throw new DerException("not an object identifier");
        }
        StringBuilder out = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = element.start(); i < element.end(); i++) {
            int b = der[i] & 0xff;
            value = (value << 7) | (b & 0x7f);
            if (value > Integer.MAX_VALUE) {
                throw new DerException("object identifier too long");
            }
            if ((b & 0x80) == 0) {
                if (first) {
                    long top = Math.min(value / 40, 2);
                    out.append(top).append('.').append(value - 40 * top);
                    first = false;
                } else {
                    out.append('.').append(value);
                }
                value = 0;
            }
        }
        return out.toString();
    }

    /** The algorithm OID of a PKCS#8 {@code PrivateKeyInfo}. */
    static String pkcs8Algorithm(byte[] der) throws DerException {
        Element info = read(der, 0, der.length);
        java.util.List<Element> fields = children(der, info);
        if (info.tag() != SEQUENCE || fields.size() < 3 || fields.get(1).tag() != SEQUENCE) {
            throw new DerException("not a PKCS#8 private key");
        }
        java.util.List<Element> algorithm = children(der, fields.get(1));
        if (algorithm.isEmpty()) {
            throw new DerException("not a PKCS#8 private key");
        }
        return oid(der, algorithm.get(0));
    }

    /** An RSA private key of PKCS#1 (RFC 8017 A.1.2) as PKCS#8. */
    static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        byte[] algorithm = tlv(SEQUENCE, tlv(OID, encodeOid(RSA)), tlv(NULL));
        return tlv(SEQUENCE, tlv(INTEGER, new byte[] {0}), algorithm, tlv(OCTET_STRING, pkcs1));
    }

    /**
     * An EC private key of SEC1 (RFC 5915), as PKCS#8 with its named curve.
     *
     * @throws DerException when the SEC1 key does not name its curve
     */
    static byte[] pkcs8FromSec1(byte[] sec1) throws DerException {
        Element key = read(sec1, 0, sec1.length);
        String curve = null;
        for (Element field : children(sec1, key)) {
            if (field.tag() == CONTEXT_0) {
                Element inner = read(sec1, field.start(), field.end());
                if (inner.tag() == OID) {
                    curve = oid(sec1, inner);
                }
            }
        }
        if (curve == null) {
            throw new DerException("the EC key does not name its curve");
        }
        byte[] algorithm = tlv(SEQUENCE, tlv(OID, encodeOid(EC)), tlv(OID, encodeOid(curve)));
        return tlv(SEQUENCE, tlv(INTEGER, new byte[] {0}), algorithm, tlv(OCTET_STRING, sec1));
    }

    static byte[] encodeOid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] arcs = new long[parts.length - 1];
        arcs[0] = Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]);
        for (int i = 2; i < parts.length; i++) {
            arcs[i - 1] = Long.parseLong(parts[i]);
        }
        for (long arc : arcs) {
            int groups = 1;
            while ((arc >>> (7 * groups)) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (int) ((arc >>> (7 * g)) & 0x7f);
                out.write(g == 0 ? b : b | 0x80);
            }
        }
        return out.toByteArray();
    }

    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A DER structure that is not what it should be. */
    static final class DerException extends Exception {
        private static final long serialVersionUID = 1L;

        DerException(String message) {
            super(message);
        }
    }
}
