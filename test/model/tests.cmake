# The data model and its JSON conversions: no network.
coconsul_test(model_test
  ${CMAKE_CURRENT_LIST_DIR}/samples_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/codec_test.cpp)
