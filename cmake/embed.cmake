# SPDX-License-Identifier: BSD-2-Clause
# cmake -DOUT=FILE -DINPUTS="a|b" -P embed.cmake: each input as a C array
# named page_<file name with . as _>, without a terminating NUL.
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(text "/* Made by cmake/embed.cmake from agent/daemon/page/: do not edit. */\n")
foreach(input ${INPUTS})
  get_filename_component(name "${input}" NAME)
  string(REPLACE "." "_" name "${name}")
  file(READ "${input}" hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  string(APPEND text "static const unsigned char page_${name}[] = {\n${bytes}\n};\n")
endforeach()
file(WRITE "${OUT}.tmp" "${text}")
file(RENAME "${OUT}.tmp" "${OUT}")
