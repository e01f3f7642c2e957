package dev.clipflow.cli;

/** An {@code application/problem+json} answer (or any error answer) of the API. */
public final class ApiException extends CliException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String detail) {
        super(ExitCodes.ofStatus(status), detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** The problem's machine-readable {@code code}, or null when the answer was not a problem. */
    public String code() {
        return code;
    }
}
