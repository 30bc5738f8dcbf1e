/* tests/unit/ppc/asm_words.h: instruction words recorded from GNU as, looked up by the
 * assembly text the tests are written in (each test keeps its own table). */
#ifndef HVEMU_TEST_ASM_WORDS_H
#define HVEMU_TEST_ASM_WORDS_H

#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"

typedef struct AsmWord {
    const char *text;
    uint32_t word;
} AsmWord;

static inline uint32_t asm_word(const AsmWord *t, size_t n, const char *text)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(t[k].text, text))
            return t[k].word;
    fprintf(stderr, "no GNU as word recorded for '%s'\n", text);
    unit_fail();
    return 0;
}

#define W(text) asm_word(gas_words, sizeof(gas_words) / sizeof(gas_words[0]), (text))

#endif
