/** The shared scenario tables; each module is imported by its path (`@effect-bearer/conformance/<Table>`). */
export {}
