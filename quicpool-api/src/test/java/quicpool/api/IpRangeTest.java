// SPDX-License-Identifier: Apache-2.0
package quicpool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class IpRangeTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void singleAddressMatchesOnlyItselfIncludingItsIpv4MappedForm() throws Exception {
        IpRange r = IpRange.parse("10.0.0.1");
        assertThat(r.contains(ip("10.0.0.1"))).isTrue();
        assertThat(r.contains(ip("::ffff:10.0.0.1"))).isTrue();
        assertThat(r.contains(ip("10.0.0.2"))).isFalse();
    }

    @Test
    void mappedFormInTheRuleMatchesThePlainIpv4Client() throws Exception {
        assertThat(IpRange.parse("::ffff:10.0.0.1").contains(ip("10.0.0.1"))).isTrue();
    }

    @Test
    void cidrRangesMatchTheirPrefix() throws Exception {
        IpRange r = IpRange.parse("10.1.2.0/24");
        assertThat(r.contains(ip("10.1.2.255"))).isTrue();
        assertThat(r.contains(ip("10.1.3.0"))).isFalse();
        assertThat(IpRange.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        IpRange v6 = IpRange.parse("2001:db8::/32");
        assertThat(v6.contains(ip("2001:db8:1::7"))).isTrue();
        assertThat(v6.contains(ip("2001:db9::1"))).isFalse();
        assertThat(v6.contains(ip("10.0.0.1"))).isFalse();
        assertThat(IpRange.parse("10.1.2.3/32").contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void normalisesTheNetworkPart() {
        assertThat(IpRange.parse("10.1.2.3/8")).isEqualTo(IpRange.parse("10.0.0.0/8"));
        assertThat(IpRange.parse("10.1.2.3/8")).hasToString("10.0.0.0/8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "10.0.0.1/33", "10.0.0.1/-1", "10.0.0.1/x",
            "::1/129", "10.0.0", "300.1.1.1"})
    void rejectsWhatIsNotAnIpLiteralOrRange(String bad) {
        assertThatThrownBy(() -> IpRange.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + bad + "\"");
    }
}
