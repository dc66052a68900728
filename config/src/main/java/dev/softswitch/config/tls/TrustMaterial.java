package dev.softswitch.config.tls;

import dev.softswitch.config.tls.TlsMaterialException.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Whom SIP over TLS trusts: the certificate authorities that the servers we call (and callers' certificates, when
 * asked for) must chain to. The JDK's trust store unless a PEM file of CA certificates is given, which then replaces it.
 */
public final class TrustMaterial {

    private TrustMaterial() {}

    /**
     * The trust manager of {@code caFile}'s certificates, or of the JDK's trust store when null.
     *
     * @throws TlsMaterialException (of {@link Source#CA_FILE}) when the file cannot be read or holds no certificate
     */
    public static X509TrustManager load(@Nullable Path caFile) throws TlsMaterialException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            if (caFile == null) {
                factory.init((KeyStore) null);
            } else {
                List<X509Certificate> cas = PemFiles.certificates(caFile, Source.CA_FILE);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                factory.init(store);
            }
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsMaterialException(
                    Source.CA_FILE,
                    (caFile == null ? "the JDK's trust store" : caFile.toString()) + " cannot be used: "
                            + e.getMessage(),
                    e);
        }
    }
}
