package dev.softswitch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void printsAsStarsWherever() {
        Secret secret = Secret.of("hunter2", "${env:PASSWORD}");
        assertThat(secret.toString()).isEqualTo("***");
        assertThat(String.valueOf(secret)).isEqualTo("***");
        assertThat("password=" + secret).isEqualTo("password=***");
        assertThat(List.of(secret).toString()).isEqualTo("[***]");
        assertThat(new DigestCredentials("acme", secret).toString())
                .isEqualTo("DigestCredentials[username=acme, password=***]");
    }

    @Test
    void revealsOnlyWhenAsked() {
        assertThat(Secret.of("hunter2").reveal()).isEqualTo("hunter2");
    }

    @Test
    void remembersWhereItCameFromButNotInEquality() {
        Secret fromEnv = Secret.of("hunter2", "${env:PASSWORD}");
        assertThat(fromEnv.origin()).isEqualTo("${env:PASSWORD}");
        assertThat(Secret.of("hunter2").origin()).isEqualTo(Secret.INLINE);
        assertThat(fromEnv).isEqualTo(Secret.of("hunter2"));
        assertThat(fromEnv).hasSameHashCodeAs(Secret.of("hunter2"));
    }

    @Test
    void comparesValues() {
        Secret secret = Secret.of("hunter2");
        assertThat(secret.equalsConstantTime("hunter2")).isTrue();
        assertThat(secret.equalsConstantTime("hunter3")).isFalse();
        assertThat(secret.equalsConstantTime("hunter22")).isFalse();
        assertThat(secret.equalsConstantTime("")).isFalse();
        assertThat(secret).isNotEqualTo(Secret.of("Hunter2"));
        assertThat(secret).isNotEqualTo("hunter2");
    }

    @Test
    void hashCodeSaysNothingAboutTheValue() {
        assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
    }
}
