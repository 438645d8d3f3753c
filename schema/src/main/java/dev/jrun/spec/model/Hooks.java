package dev.jrun.spec.model;

import java.util.List;

/** hooks: programs run by the runtime at lifecycle points (config.md "POSIX-platform Hooks"). */
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    public Hooks {
        prestart = Immutables.list(prestart);
        createRuntime = Immutables.list(createRuntime);
        createContainer = Immutables.list(createContainer);
        startContainer = Immutables.list(startContainer);
        poststart = Immutables.list(poststart);
        poststop = Immutables.list(poststop);
    }

    public record Hook(String path, List<String> args, List<String> env, Integer timeout) {
        public Hook {
            args = Immutables.list(args);
            env = Immutables.list(env);
        }
    }
}
