#include <string>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
    return app::run(std::vector<std::string>(argv + 1, argv + argc));
}
