// Wide ports for the co-simulation tests: a 100-bit adder (combinational) and a 100-bit
// accumulating register, plus a 64-bit port at the boundary.
module wide_acc (
    input  wire         clk,
    input  wire         rst,
    input  wire [99:0]  x,
    input  wire [99:0]  y,
    input  wire [63:0]  q,
    output wire [100:0] s,
    output reg  [99:0]  r,
    output wire [63:0]  nq
);
    assign s  = {1'b0, x} + {1'b0, y};
    assign nq = ~q;

    always @(posedge clk) begin
        if (rst) r <= 100'd0;
        else     r <= r + x;
    end
endmodule
