package dev.jrun.spec.check;

import static dev.jrun.spec.validation.SpecText.errors;
import static dev.jrun.spec.validation.SpecText.render;
import static dev.jrun.spec.validation.SpecText.validateYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrun.spec.validation.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sysctl and hostname checks judge a sysctl by the file it names, whether its key is written with dots or slashes. */
class SysctlFormsTest {
    @TempDir
    Path bundle;

    private ValidationReport with(String topLevel, String namespaces, String sysctl) {
        return validateYaml(bundle, """
                ociVersion: 1.2.0
                root: {path: rootfs}
                process: {cwd: /, args: [sh], user: {uid: 0, gid: 0}}
                %s
                linux:
                  namespaces: [%s]
                  sysctl: {%s}
                """.formatted(topLevel, namespaces, sysctl));
    }

    @Test
    void kernelHostnameInSlashFormBesideTheHostnameFieldIsRefused() {
        ValidationReport report = with("hostname: web", "{type: uts}", "kernel/hostname: other");
        assertEquals(List.of("check.hostname /linux/sysctl/kernel~1hostname"), errors(report), () -> render(report));
        assertTrue(report.errors().getFirst().message().contains("/hostname sets already"), () -> render(report));
    }

    @Test
    void kernelDomainnameInDotFormBesideTheDomainnameFieldIsRefused() {
        ValidationReport report = with("domainname: example.org", "{type: uts}", "kernel.domainname: other.org");
        assertEquals(List.of("check.hostname /linux/sysctl/kernel.domainname"), errors(report), () -> render(report));
    }

    @Test
    void kernelHostnameAloneIsAllowedInAUtsNamespace() {
        ValidationReport report = with("", "{type: uts}", "kernel/hostname: web");
        assertTrue(report.isValid(), () -> render(report));
    }

    @Test
    void kernelHostnameAloneKeepsTheKernelsLengthLimit() {
        ValidationReport report = with("", "{type: uts}", "kernel/hostname: " + "h".repeat(65));
        assertEquals(List.of("check.hostname /linux/sysctl/kernel~1hostname"), errors(report), () -> render(report));
    }

    @Test
    void slashFormNeedsTheSameNamespaceAsDotForm() {
        ValidationReport report = with("", "{type: mount}", "kernel/hostname: web, net/ipv4/ip_forward: '1', kernel/shmmax: '1'");
        assertEquals(List.of("check.sysctl /linux/sysctl/kernel~1hostname", "check.sysctl /linux/sysctl/net~1ipv4~1ip_forward",
                "check.sysctl /linux/sysctl/kernel~1shmmax"), errors(report), () -> render(report));
    }

    @Test
    void aGlobalSysctlInSlashFormIsRefused() {
        ValidationReport report = with("", "{type: network}", "kernel/panic: '1'");
        assertEquals(List.of("check.sysctl /linux/sysctl/kernel~1panic"), errors(report), () -> render(report));
    }

    @Test
    void twoFormsOfOneKeyAreRefused() {
        ValidationReport report = with("", "{type: network}", "net.ipv4.ip_forward: '1', net/ipv4/ip_forward: '0'");
        assertEquals(List.of("check.sysctl /linux/sysctl/net~1ipv4~1ip_forward"), errors(report), () -> render(report));
    }

    @Test
    void anInterfaceNameWithADotIsAValidNetworkSysctl() {
        ValidationReport report = with("", "{type: network}", "net/ipv4/conf/eth0.100/rp_filter: '2'");
        assertTrue(report.isValid(), () -> render(report));
    }

    @Test
    void aKeyThatLeavesItsPathIsRefusedNamingTheReason() {
        ValidationReport report = with("", "{type: network}", "net/ipv4/../../kernel/panic: '1', '/proc/sys/net/ipv4/ip_forward': '1', net..ipv4: '1'");
        assertEquals(List.of("check.sysctl /linux/sysctl/net~1ipv4~1..~1..~1kernel~1panic",
                "check.sysctl /linux/sysctl/~1proc~1sys~1net~1ipv4~1ip_forward", "check.sysctl /linux/sysctl/net..ipv4"),
                errors(report), () -> render(report));
        assertTrue(report.errors().get(1).expected().endsWith("for this key, \"net.ipv4.ip_forward\""), () -> render(report));
    }
}
