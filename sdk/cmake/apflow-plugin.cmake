# apflow_add_plugin(<target> SOURCES <files...> [LIBS <targets...>] [OUTPUT_DIRECTORY <dir>]
#                   [BUILTIN])
#
# Builds an apflow plugin: a shared library named <target>.so that exports only
# apflow_plugin_entry. Used in the tree and by out-of-tree plugins through find_package(apflow-sdk).
# BUILTIN (in the tree only) puts it in the built-in plugin directory and installs it there.
set(_apflow_plugin_map "${CMAKE_CURRENT_LIST_DIR}/apflow-plugin.map")

function(apflow_add_plugin target)
  cmake_parse_arguments(ARG "BUILTIN" "OUTPUT_DIRECTORY" "SOURCES;LIBS" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE apflow::sdk ${ARG_LIBS})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  # An undefined symbol must fail the build, not the load; only the entry point is exported.
  target_link_options(${target} PRIVATE "LINKER:--no-undefined"
    "LINKER:--version-script=${_apflow_plugin_map}")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${_apflow_plugin_map}")
  if(ARG_BUILTIN)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${APFLOW_PLUGIN_OUTPUT_DIR}")
    install(TARGETS ${target} LIBRARY DESTINATION "${APFLOW_PLUGIN_INSTALL_DIR}")
  elseif(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
  endif()
endfunction()
