package quicpool.api;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A self-signed EC certificate for builder tests, made once with {@code openssl req -x509 -newkey
 * ec} (its private key was thrown away: nothing here can serve it), and the digests openssl gives
 * for it.
 */
final class TestCert {
    private static final String PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBhDCCASugAwIBAgIUXlSOWUyuthI0VJACyHy2UQdHBYAwCgYIKoZIzj0EAwIw
            FzEVMBMGA1UEAwwMYnVpbGRlci10ZXN0MCAXDTI2MTIwNTEzMzU0NFoYDzIxMjYx
            MTExMTMzNTQ0WjAXMRUwEwYDVQQDDAxidWlsZGVyLXRlc3QwWTATBgcqhkjOPQIB
            BggqhkjOPQMBBwNCAAQCnN1yQRDANy6S0l+XI3MiNVatn2gXlno2/T0jx+DlNWfL
            B0/UHihn8tUlYYxCb3GWsdT0pIape31K8bUBHInKo1MwUTAdBgNVHQ4EFgQUqJkZ
            3JeszeXuBN98bNN392Zj1rYwHwYDVR0jBBgwFoAUqJkZ3JeszeXuBN98bNN392Zj
            1rYwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAE0+sSpmRsvZnI
            R19fMoNFPQKNOWgZhroNK25+kd36IwIgefRi3mGTRvh36muwrM21FzhGmuXj+4dg
            1aHCWXd+Zh4=
            -----END CERTIFICATE-----
            """;

    static final X509Certificate CERT = parse();

    /** {@code openssl x509 -in cert.pem -noout -fingerprint -sha256}, lowercase, no colons. */
    static final String CERT_SHA256 = "0c56c6f2b6e98aa7065b78a80de95c453bb478fe35fa7c1dcea0f5ec2d0c1b52";

    /** {@code openssl x509 -in cert.pem -noout -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256}. */
    static final String SPKI_SHA256 = "a9644751cdc2cc8af2dcc4edec401ee8c4a571ffb796674b95ad22c61cda6d26";

    private TestCert() {
    }

    private static X509Certificate parse() {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(PEM.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }
}
