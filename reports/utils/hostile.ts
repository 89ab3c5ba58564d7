/**
 * Planted in every field that comes from the system under test. Each part would run script or
 * break out of an attribute, a script block or a comment if any renderer forgot to escape.
 */
export const HOSTILE =
  `</script><script>window.__pwned=1</script>"'><img src=x onerror="window.__pwned=2"><!-- ]]> \u001b[31m` + `<svg onload=window.__pwned=5>`;

/** HOSTILE as a reader sees it: the escape character is shown as U+FFFD, everything else verbatim. */
export const HOSTILE_AS_SHOWN = HOSTILE.replace("\u001b", "\uFFFD");
