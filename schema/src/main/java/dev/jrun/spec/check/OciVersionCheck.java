package dev.jrun.spec.check;

import dev.jrun.spec.model.Spec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ociVersion is SemVer and jrun implements major version 1 of the runtime spec. */
final class OciVersionCheck implements SemanticCheck {
    private static final Pattern SEMVER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?");

    @Override
    public String name() {
        return "oci-version";
    }

    @Override
    public void check(Spec spec, CheckContext context, Findings findings) {
        String version = spec.ociVersion();
        if (version == null) {
            return; // the schema reports it missing
        }
        Matcher m = SEMVER.matcher(version);
        if (!m.matches()) {
            findings.error("/ociVersion", "not a SemVer version", "MAJOR.MINOR.PATCH, e.g. \"1.2.0\"", Findings.quoted(version));
        } else if (!m.group(1).equals("1")) {
            findings.error("/ociVersion", "jrun implements version 1 of the OCI runtime spec", "1.x.y", Findings.quoted(version));
        }
    }
}
