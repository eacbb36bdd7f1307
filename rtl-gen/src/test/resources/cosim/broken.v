// Deliberately malformed: the always block is missing its begin.
module broken (
    input  wire clk,
    output reg  q
);
    always @(posedge clk)
        q <= ~q
    end
endmodule
