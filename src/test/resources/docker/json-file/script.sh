printf 'I1126 10:00:00.000000 1 server.cc:674] plain line\n'
printf 'tabs\there and "quotes" and back\\slash <html> & ampersand\n'
printf 'unicode: Größe 模型 🚀 emoji\n'
printf 'ctrl: \001\002\033[31mred\033[0m\r\n'
printf 'E1126 10:00:01.000000 1 model_lifecycle.cc:638] to stderr\n' >&2
head -c 40000 /dev/zero | tr '\0' 'x'; printf 'END-OF-LONG\n'
printf 'bad utf8: \377\376 end\n'
printf '\n'
printf 'stderr partial ' >&2; printf 'then stdout\n'; printf 'rest of stderr\n' >&2
printf 'last line without newline'
