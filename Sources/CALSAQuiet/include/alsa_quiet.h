#ifndef REPHASE_ALSA_QUIET_H
#define REPHASE_ALSA_QUIET_H
/// Routes alsa-lib's own diagnostics (e.g. "ALSA lib pcm.c:...: Unknown PCM") to nowhere, so
/// the tool reports each failure in its one line. A C shim because the handler is variadic,
/// which Swift cannot write.
void rephase_alsa_silence_library_errors(void);
#endif
