package dev.softswitch.sip.auth;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a credentials value into its scheme and its auth-params (RFC 3261 25.1 {@code credentials}, RFC 7235 2.1):
 * {@code Digest name=value, name="quoted, value", ...}. Parameter names are case-insensitive and returned in lower
 * case; quoted values are unescaped; a parameter given twice is an error. Error messages name parameters, never
 * values.
 */
final class AuthParams {

    private static final int MAX_NAME_IN_MESSAGE = 20;

    private final String text;
    private int pos;

    private AuthParams(String text) {
        this.text = text;
    }

    /** The auth-params of {@code value}, whose scheme must be {@code scheme} (case-insensitive). */
    static Map<String, String> parse(String value, String scheme) throws DigestParseException {
        return new AuthParams(value).parseAll(scheme);
    }

    private Map<String, String> parseAll(String scheme) throws DigestParseException {
        skipWhitespace();
        String found = token();
        if (!found.equalsIgnoreCase(scheme)) {
            throw new DigestParseException(found.isEmpty() ? "no authentication scheme" : "scheme is not " + scheme);
        }
        if (pos < text.length() && !isWhitespace(text.charAt(pos))) {
            throw new DigestParseException("expected a space after the scheme");
        }
        Map<String, String> params = new HashMap<>();
        while (true) {
            skipWhitespace();
            if (pos == text.length()) {
                return params;
            }
            if (text.charAt(pos) == ',') { // RFC 7235 7: empty list elements are allowed
                pos++;
                continue;
            }
            String name = token();
            if (name.isEmpty()) {
                throw new DigestParseException("expected a parameter name at offset " + pos);
            }
            String shownName = shown(name);
            skipWhitespace();
            if (pos == text.length() || text.charAt(pos) != '=') {
                throw new DigestParseException("parameter " + shownName + " has no '='");
            }
            pos++;
            skipWhitespace();
            String value;
            if (pos < text.length() && text.charAt(pos) == '"') {
                value = quotedString(shownName);
            } else {
                value = bareValue();
                if (value.isEmpty()) {
                    throw new DigestParseException("parameter " + shownName + " has no value");
                }
            }
            if (params.put(name.toLowerCase(Locale.ROOT), value) != null) {
                throw new DigestParseException("duplicate parameter " + shownName);
            }
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) != ',') {
                throw new DigestParseException("expected ',' after parameter " + shownName);
            }
        }
    }

    /** RFC 3261 25.1 token. */
    private String token() {
        int start = pos;
        while (pos < text.length() && isTokenChar(text.charAt(pos))) {
            pos++;
        }
        return text.substring(start, pos);
    }

    /** An unquoted value: lenient, anything up to whitespace or a comma (some clients leave a URI unquoted). */
    private String bareValue() throws DigestParseException {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isWhitespace(c) || c == ',') {
                break;
            }
            if (c == '"' || c < 0x20 || c == 0x7f) {
                throw new DigestParseException("unexpected character in an unquoted value at offset " + pos);
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    /** RFC 3261 25.1 quoted-string, with quoted-pair; {@code pos} is on the opening quote. */
    private String quotedString(String shownName) throws DigestParseException {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                if (pos == text.length()) {
                    break;
                }
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        throw new DigestParseException("unterminated quoted value of parameter " + shownName);
    }

    private void skipWhitespace() {
        while (pos < text.length() && isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** RFC 3261 25.1: {@code token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")}. */
    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** A parameter name as it may appear in an error message: quoted, lower-cased and cut short. */
    static String shown(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return "'" + (lower.length() > MAX_NAME_IN_MESSAGE ? lower.substring(0, MAX_NAME_IN_MESSAGE) + "..." : lower)
                + "'";
    }
}
